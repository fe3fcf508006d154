// Follower: AppendEntries (§5.3) and heartbeats.
import type { Raft } from './raft.js'
import type { AppendRequest, Heartbeat } from './types.js'

export function handleAppend(r: Raft, m: AppendRequest): void {
  const reply = { type: 'appResp', from: r.id, to: m.from, term: r.term } as const
  if (m.prevIndex < r.log.committed) {
    // Everything up to commit is known to match: tell the leader where we are.
    r.send({ ...reply, index: r.log.committed, reject: false, hintIndex: 0, hintTerm: 0 })
    return
  }
  const res = r.log.maybeAppend(m.prevIndex, m.prevTerm, m.commit, m.entries)
  if (res.ok) {
    r.send({ ...reply, index: res.lastIndex, reject: false, hintIndex: 0, hintTerm: 0 })
    return
  }
  if (res.reason === 'committedConflict') {
    r.counters.droppedInvalid++
    return
  }
  // Fast backtracking (etcd): point the leader at our last entry whose term is <= prevTerm, so it skips
  // a whole term of conflicting entries per round trip instead of one entry.
  const probe = Math.min(m.prevIndex, r.log.lastIndex())
  const [hintIndex, hintTerm] = r.log.findConflictByTerm(probe, m.prevTerm)
  r.send({ ...reply, index: m.prevIndex, reject: true, hintIndex, hintTerm })
}

export function handleHeartbeat(r: Raft, m: Heartbeat): void {
  // The leader sends min(commit, our match), which we hold; more means our log lost entries we acknowledged.
  if (m.commit > r.log.lastIndex()) r.counters.droppedInvalid++
  else r.log.commitTo(m.commit)
  r.send({ type: 'heartbeatResp', from: r.id, to: m.from, term: r.term, context: m.context })
}
