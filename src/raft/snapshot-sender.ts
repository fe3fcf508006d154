// Leader: sending a snapshot in chunks to a follower that needs entries we compacted (§7).
// One chunk is in flight at a time; the follower's snapResp says how many bytes it holds, and the next
// chunk starts there. A lost chunk is resent after a heartbeat round trip; a transfer that makes no
// progress for an election timeout is abandoned (the follower goes back to probe and it starts over).
import type { Progress } from './progress.js'
import type { Raft } from './raft.js'
import { SnapshotTransfer } from './snapshot-transfer.js'
import type { SnapshotChunkResponse } from './types.js'

export function maybeSendSnapshot(r: Raft, to: string, pr: Progress): boolean {
  // A follower we have not heard from lately probably would not receive it either.
  if (!pr.recentActive) return false
  const snap = r.log.snapshot()
  if (snap.metadata.index === 0) return false // no snapshot yet: temporarily unavailable
  pr.becomeSnapshot(new SnapshotTransfer(snap))
  sendChunk(r, to, pr, 0)
  return true
}

function sendChunk(r: Raft, to: string, pr: Progress, offset: number): void {
  const t = pr.transfer
  if (t === undefined) return
  const chunk = t.take(offset, r.cfg.maxSnapshotChunkBytes)
  r.send({
    type: 'snap', from: r.id, to, term: r.term,
    metadata: t.snapshot.metadata, offset: chunk.offset, totalBytes: t.totalBytes, data: chunk.data,
  })
}

export function handleSnapshotResponse(r: Raft, m: SnapshotChunkResponse): void {
  const pr = r.progress.get(m.from)
  if (pr === undefined) return
  pr.recentActive = true
  const t = pr.transfer
  if (pr.state !== 'snapshot' || t === undefined || m.snapshotIndex !== t.index) return // stale
  if (m.received > t.totalBytes) {
    r.counters.droppedInvalid++
    return
  }
  if (m.reject) {
    // The follower lost the thread (restarted, or a chunk arrived out of order): resume where it is.
    t.acked = m.received
    t.ticksSinceProgress = 0
    sendChunk(r, m.from, pr, m.received)
    return
  }
  if (m.received > t.acked) {
    t.acked = m.received
    t.ticksSinceProgress = 0
  }
  if (t.acked >= t.totalBytes && m.received === t.totalBytes) {
    // Done; the follower's appResp (sent with this) moves it on to replicate.
    pr.becomeProbe()
    return
  }
  if (!t.outstanding()) sendChunk(r, m.from, pr, t.acked)
}

export function tickSnapshotTransfers(r: Raft): void {
  for (const pr of r.progress.values()) {
    const t = pr.transfer
    if (pr.state !== 'snapshot' || t === undefined) continue
    t.tick()
    if (t.ticksSinceProgress >= r.cfg.electionTick) pr.abortSnapshot()
  }
}

/** On a heartbeat response: the link works, so a chunk unacknowledged for a heartbeat interval was lost. */
export function maybeResendChunk(r: Raft, to: string, pr: Progress): void {
  const t = pr.transfer
  if (pr.state !== 'snapshot' || t === undefined) return
  if (t.outstanding() && t.ticksSinceSend >= r.cfg.heartbeatTick) sendChunk(r, to, pr, t.acked)
}
