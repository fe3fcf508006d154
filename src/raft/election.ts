// Elections (§5.2) with pre-vote (§9.6) and the leader lease of check-quorum (§4.2.3, §9.6).
import { becomeCandidate, becomePreCandidate } from './become-candidate.js'
import { becomeFollower } from './become-follower.js'
import { becomeLeader } from './become-leader.js'
import { decodeConfEntry } from './conf-change.js'
import { isStorageRangeError } from './errors.js'
import { voteResult } from './quorum.js'
import type { Raft } from './raft.js'
import { bcastAppend } from './replication.js'
import { NONE, type VoteRequest, type VoteResponse } from './types.js'

/** Conf entries committed but not applied: campaigning now could run an election under a stale configuration. */
function hasUnappliedConf(r: Raft): boolean {
  const lo = r.log.applied + 1
  const hi = r.log.committed + 1
  if (lo >= hi) return false
  try {
    const ents = r.log.slice(lo, hi, Number.MAX_SAFE_INTEGER)
    return ents.some((e) => e.type === 'conf' && decodeConfEntry(e.data) !== undefined)
  } catch (e) {
    if (isStorageRangeError(e)) return true
    throw e
  }
}

/** Start an election if this node may: a voter, not the leader, with no committed conf change left to apply. */
export function hup(r: Raft, transfer: boolean): void {
  if (r.role === 'leader' || !r.promotable() || hasUnappliedConf(r)) return
  if (r.cfg.preVote && !transfer) campaign(r, 'preVote', false)
  else campaign(r, 'vote', transfer)
}

export function campaign(r: Raft, kind: 'preVote' | 'vote', transfer: boolean): void {
  let term: number
  if (kind === 'preVote') {
    becomePreCandidate(r)
    term = r.term + 1 // the term it would campaign in; its own term is unchanged
  } else {
    becomeCandidate(r)
    term = r.term
  }
  r.votes.set(r.id, true)
  if (voteResult(r.conf.voters, r.votes) === 'won') {
    // A lone voter wins at once.
    winElection(r)
    return
  }
  const lastLogIndex = r.log.lastIndex()
  const lastLogTerm = r.log.lastTerm()
  for (const to of r.conf.voters) {
    if (to === r.id) continue
    r.send({ type: kind, from: r.id, to, term, lastLogIndex, lastLogTerm, transfer })
  }
}

function winElection(r: Raft): void {
  if (r.role === 'preCandidate') {
    campaign(r, 'vote', false)
    return
  }
  becomeLeader(r)
  bcastAppend(r)
}

/**
 * Any role answering a (pre-)vote request whose term survived the term check (§5.2, §5.4.1).
 * A node grants if it has not voted for someone else in this term (for a pre-vote: the request is for a
 * later term) and the candidate's log is at least as up to date. Granting a real vote resets the timer.
 */
export function handleVoteRequest(r: Raft, m: VoteRequest): void {
  const canVote =
    r.vote === m.from || (r.vote === NONE && r.lead === NONE) || (m.type === 'preVote' && m.term > r.term)
  const respType = m.type === 'vote' ? 'voteResp' : 'preVoteResp'
  if (canVote && r.log.isUpToDate(m.lastLogIndex, m.lastLogTerm)) {
    // The response carries the request's term so the pre-candidate recognises it (etcd).
    r.send({ type: respType, from: r.id, to: m.from, term: m.term, reject: false })
    if (m.type === 'vote') {
      r.electionElapsed = 0
      r.vote = m.from
    }
  } else {
    r.send({ type: respType, from: r.id, to: m.from, term: r.term, reject: true })
  }
}

/** Candidate and pre-candidate: count an answer; win, lose, or keep waiting. */
export function handleVoteResponse(r: Raft, m: VoteResponse): void {
  const mine = r.role === 'preCandidate' ? 'preVoteResp' : 'voteResp'
  if (m.type !== mine) return // a late answer to the pre-vote that preceded this campaign
  if (!r.votes.has(m.from)) r.votes.set(m.from, !m.reject)
  const result = voteResult(r.conf.voters, r.votes)
  if (result === 'won') winElection(r)
  else if (result === 'lost') becomeFollower(r, r.term, NONE)
}
