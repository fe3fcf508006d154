// Entry point for every message: shape check, membership check for responses, the term rules of §5.1
// (with etcd's pre-vote and lease exceptions), then the role's step function.
import { becomeFollower } from './become-follower.js'
import { handleVoteRequest } from './election.js'
import type { Raft } from './raft.js'
import { NONE, type Message } from './types.js'
import { isMemberResponse, isWellFormed } from './validate.js'

export function step(r: Raft, m: Message): void {
  if (!isWellFormed(m, r.id)) {
    r.counters.droppedInvalid++
    return
  }
  if (isMemberResponse(m) && !r.isMember(m.from)) {
    r.counters.droppedUnknownNode++
    return
  }
  if (m.term > r.term) {
    if (!stepHigherTerm(r, m)) return
  } else if (m.term < r.term) {
    stepStaleTerm(r, m)
    return
  }
  if (m.type === 'vote' || m.type === 'preVote') {
    handleVoteRequest(r, m)
    return
  }
  r.stepFn(r, m)
}

/** Returns false when the message is to be ignored. */
function stepHigherTerm(r: Raft, m: Message): boolean {
  if (m.type === 'vote' || m.type === 'preVote') {
    // The lease: a node that heard from a leader within the election timeout ignores disruptive
    // campaigns (a pre-vote always; a real vote with check-quorum), unless a transfer asked for it.
    const leaseApplies = m.type === 'preVote' || r.cfg.checkQuorum
    if (!m.transfer && leaseApplies && r.inLeaderLease()) return false
  }
  // A pre-vote never changes our term; a granted pre-vote response carries the future term.
  if (m.type === 'preVote' || (m.type === 'preVoteResp' && !m.reject)) return true
  const wasLeader = r.role === 'leader'
  const lead = m.type === 'app' || m.type === 'heartbeat' || m.type === 'snap' ? m.from : NONE
  becomeFollower(r, m.term, lead)
  if (wasLeader) r.emit({ type: 'stepDown', term: r.term, reason: 'higherTerm' })
  return true
}

function stepStaleTerm(r: Raft, m: Message): void {
  r.counters.droppedStaleTerm++
  if ((r.cfg.checkQuorum || r.cfg.preVote) && (m.type === 'app' || m.type === 'heartbeat')) {
    // A leader cut off from the cluster learns of the newer term from this answer (etcd), which a
    // lease-holding cluster would otherwise never tell it.
    r.send({ type: 'appResp', from: r.id, to: m.from, term: r.term, index: 0, reject: false, hintIndex: 0, hintTerm: 0 })
  } else if (m.type === 'preVote') {
    // Otherwise a pre-candidate with a stale term would wait for an answer forever.
    r.send({ type: 'preVoteResp', from: r.id, to: m.from, term: r.term, reject: true })
  }
}
