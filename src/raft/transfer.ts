// Leadership transfer (thesis §3.10): catch the target up, then tell it to campaign at once.
import { isMember, isVoter } from './conf-change.js'
import type { Raft } from './raft.js'
import { sendAppend } from './replication.js'
import { NONE, type NodeId, type RequestResult } from './types.js'

export function transferLeadership(r: Raft, to: NodeId): RequestResult {
  if (r.role !== 'leader') return { ok: false, reason: 'notLeader', leader: r.lead }
  if (!isMember(r.conf, to)) return { ok: false, reason: 'unknownNode', leader: r.lead }
  if (!isVoter(r.conf, to)) return { ok: false, reason: 'notVoter', leader: r.lead }
  if (to === r.id || to === r.leadTransferee) return { ok: true } // already leader, or already under way
  abortLeaderTransfer(r)
  // The transfer must finish within an election timeout, measured from now.
  r.electionElapsed = 0
  r.leadTransferee = to
  const pr = r.progress.get(to)
  if (pr !== undefined && pr.match === r.log.lastIndex()) sendTimeoutNow(r, to)
  else sendAppend(r, to)
  return { ok: true }
}

export function sendTimeoutNow(r: Raft, to: NodeId): void {
  r.send({ type: 'timeoutNow', from: r.id, to, term: r.term })
}

export function abortLeaderTransfer(r: Raft): void {
  r.leadTransferee = NONE
}
