// Leader: sending appends and heartbeats (§5.3), shaped by each follower's Progress (flow control).
import { isStorageRangeError } from './errors.js'
import type { Raft } from './raft.js'
import { entriesSize } from './size.js'
import { maybeSendSnapshot } from './snapshot-sender.js'
import type { Entry } from './types.js'

const EMPTY = new Uint8Array(0)

/** Sends an append to `to` unless its progress is paused. With sendIfEmpty false, only sends if there are entries. */
export function maybeSendAppend(r: Raft, to: string, sendIfEmpty: boolean): boolean {
  const pr = r.progress.get(to)
  if (pr === undefined || to === r.id || pr.isPaused()) return false
  const prevIndex = pr.next - 1
  const prevTerm = r.log.term(prevIndex)
  // The entries the follower needs were compacted: it needs a snapshot.
  if (prevTerm === undefined) return maybeSendSnapshot(r, to, pr)
  let entries: Entry[] = []
  // A full window sends only empty appends: they get acknowledged or rejected and so unclog the window
  // even if every append that filled it was lost.
  if (pr.state !== 'replicate' || !pr.inflights.full()) {
    try {
      entries = r.log.slice(pr.next, r.log.lastIndex() + 1, r.cfg.maxSizePerMsg)
    } catch (e) {
      if (isStorageRangeError(e)) return maybeSendSnapshot(r, to, pr)
      throw e
    }
  }
  if (entries.length === 0 && !sendIfEmpty) return false
  r.send({ type: 'app', from: r.id, to, term: r.term, prevIndex, prevTerm, entries, commit: r.log.committed })
  pr.sentEntries(entries.length, entriesSize(entries))
  return true
}

export function sendAppend(r: Raft, to: string): void {
  maybeSendAppend(r, to, true)
}

export function bcastAppend(r: Raft): void {
  for (const id of r.progress.keys()) if (id !== r.id) sendAppend(r, id)
}

/** The commit a heartbeat carries never exceeds what the follower is known to hold. */
export function sendHeartbeat(r: Raft, to: string, context: Uint8Array): void {
  const pr = r.progress.get(to)
  if (pr === undefined) return
  const commit = Math.min(pr.match, r.log.committed)
  r.send({ type: 'heartbeat', from: r.id, to, term: r.term, commit, context })
}

/** Periodic heartbeats carry the newest pending read's context, so they also confirm pending reads. */
export function bcastHeartbeat(r: Raft, context?: Uint8Array): void {
  const ctx = context ?? r.readOnly.lastPendingContext() ?? EMPTY
  for (const id of r.progress.keys()) if (id !== r.id) sendHeartbeat(r, id, ctx)
}
