// Linearizable reads without a log entry (thesis §6.4, etcd's ReadOnlySafe). The leader records its
// commit index, confirms it is still the leader with a heartbeat round carrying the request's context,
// and then answers: the read may be served once applied >= that index.
import type { Raft } from './raft.js'
import type { ReadRequest } from './read-only.js'
import { bcastHeartbeat } from './replication.js'
import { NONE, type RequestResult } from './types.js'

/** The API call, on any node: the leader handles it, others forward it to the leader. */
export function readIndex(r: Raft, context: Uint8Array): RequestResult {
  if (r.role === 'leader') {
    leaderRead(r, { from: r.id, context })
    return { ok: true }
  }
  if (r.lead === NONE) return { ok: false, reason: 'noLeader', leader: NONE }
  r.send({ type: 'readIndex', from: r.id, to: r.lead, term: r.term, context })
  return { ok: true }
}

/** Until the leader commits an entry of its term its commit index may be behind the cluster's: wait. */
export function leaderRead(r: Raft, req: ReadRequest): void {
  if (!r.committedEntryInCurrentTerm()) {
    r.pendingReads.push(req)
    return
  }
  serveRead(r, req)
}

function serveRead(r: Raft, req: ReadRequest): void {
  const index = r.log.committed
  if (r.conf.voters.length === 1 && r.conf.voters[0] === r.id) {
    // A lone voter is the quorum.
    r.respondRead({ ...req, index })
    return
  }
  r.readOnly.addRequest(index, req)
  r.readOnly.recvAck(r.id, req.context)
  bcastHeartbeat(r, req.context)
}

/** Called when the leader commits: reads that waited for the first commit of the term can proceed. */
export function releasePendingReads(r: Raft): void {
  if (r.pendingReads.length === 0 || !r.committedEntryInCurrentTerm()) return
  const reads = r.pendingReads
  r.pendingReads = []
  for (const req of reads) serveRead(r, req)
}
