// Leader: answers to appends and heartbeats.
import type { Progress } from './progress.js'
import { voteResult } from './quorum.js'
import type { Raft } from './raft.js'
import { releasePendingReads } from './read-index.js'
import { bcastAppend, maybeSendAppend, sendAppend } from './replication.js'
import { maybeResendChunk } from './snapshot-sender.js'
import { sendTimeoutNow } from './transfer.js'
import type { AppendResponse, HeartbeatResponse } from './types.js'

export function handleAppendResponse(r: Raft, m: AppendResponse): void {
  const pr = r.progress.get(m.from)
  if (pr === undefined) return
  pr.recentActive = true
  if (m.reject) {
    handleRejection(r, m, pr)
    return
  }
  if (m.index > r.log.lastIndex()) {
    // Acknowledges entries we never had.
    r.counters.droppedInvalid++
    return
  }
  const wasPaused = pr.isPaused()
  if (!pr.maybeUpdate(m.index) && !(pr.match === m.index && pr.state === 'probe')) return
  if (pr.state === 'probe') {
    pr.becomeReplicate()
  } else if (pr.state === 'snapshot' && pr.match >= pr.pendingSnapshot) {
    pr.becomeProbe()
    pr.becomeReplicate()
  } else if (pr.state === 'replicate') {
    pr.inflights.freeLE(m.index)
  }
  if (r.maybeCommit()) {
    releasePendingReads(r)
    bcastAppend(r)
  } else if (wasPaused) {
    // It may have missed the latest commit index while paused.
    sendAppend(r, m.from)
  }
  // Flow control may now allow several messages at once (probe -> replicate, or a freed window).
  while (maybeSendAppend(r, m.from, false)) { /* send as many as the window allows */ }
  if (m.from === r.leadTransferee && pr.match === r.log.lastIndex()) sendTimeoutNow(r, m.from)
}

function handleRejection(r: Raft, m: AppendResponse, pr: Progress): void {
  // The follower's hint: its last index with a term <= the rejected prevTerm. Skip our entries whose
  // term is above the hinted term too: they cannot match either (etcd's findConflictByTerm scheme).
  let nextProbe = m.hintIndex
  if (m.hintTerm > 0) nextProbe = r.log.findConflictByTerm(m.hintIndex, m.hintTerm)[0]
  if (!pr.maybeDecrTo(m.index, nextProbe)) return
  if (pr.state === 'replicate') pr.becomeProbe()
  sendAppend(r, m.from)
}

export function handleHeartbeatResponse(r: Raft, m: HeartbeatResponse): void {
  const pr = r.progress.get(m.from)
  if (pr === undefined) return
  pr.recentActive = true
  pr.msgAppFlowPaused = false
  if (pr.state === 'snapshot') maybeResendChunk(r, m.from, pr)
  else if (pr.match < r.log.lastIndex() || pr.state === 'probe') sendAppend(r, m.from)
  if (m.context.byteLength > 0) confirmReads(r, m)
}

/** A heartbeat acknowledgement carrying a read's context: once a quorum of voters acked, serve the reads. */
function confirmReads(r: Raft, m: HeartbeatResponse): void {
  const acks = r.readOnly.recvAck(m.from, m.context)
  if (acks === undefined || voteResult(r.conf.voters, acks) !== 'won') return
  for (const read of r.readOnly.advance(m.context)) r.respondRead(read)
}

/** advance(): the driver made the leader's entries durable, so they now count toward commitment (§10.2.1). */
export function handleOwnPersisted(r: Raft): void {
  const pr = r.progress.get(r.id)
  if (pr === undefined || !pr.maybeUpdate(r.log.persistedIndex())) return
  if (r.maybeCommit()) {
    releasePendingReads(r)
    bcastAppend(r)
  }
}
