// Follower: receiving a snapshot in chunks, and installing it (§7).
import type { Raft } from './raft.js'
import { SnapshotAssembly } from './snapshot-assembly.js'
import type { Snapshot, SnapshotChunk } from './types.js'

export function handleSnapshotChunk(r: Raft, m: SnapshotChunk): void {
  const md = m.metadata
  const ack = (received: number, reject: boolean): void =>
    r.send({ type: 'snapResp', from: r.id, to: m.from, term: r.term, snapshotIndex: md.index, received, reject })
  if (m.offset === 0 && md.index <= r.log.committed) {
    // We already hold everything it covers: the transfer is complete as far as we are concerned.
    r.snapshotAssembly = undefined
    ack(m.totalBytes, false)
    r.send({ type: 'appResp', from: r.id, to: m.from, term: r.term, index: r.log.committed, reject: false, hintIndex: 0, hintTerm: 0 })
    return
  }
  if (m.offset === 0) r.snapshotAssembly = new SnapshotAssembly(md, m.totalBytes)
  const asm = r.snapshotAssembly
  if (asm === undefined || !asm.matches(md, m.totalBytes)) {
    // A chunk of a transfer we do not hold (we restarted, or the leader moved on): start over.
    ack(0, true)
    return
  }
  const outcome = asm.add(m.offset, m.data)
  if (outcome === 'outOfOrder') {
    ack(asm.received, true)
    return
  }
  if (outcome === 'duplicate' || !asm.complete()) {
    ack(asm.received, false)
    return
  }
  r.snapshotAssembly = undefined
  const restored = restore(r, asm.build())
  ack(asm.received, false)
  const index = restored ? r.log.lastIndex() : r.log.committed
  r.send({ type: 'appResp', from: r.id, to: m.from, term: r.term, index, reject: false, hintIndex: 0, hintTerm: 0 })
}

/**
 * Installs s if it is newer than our commit. If our log already holds its last entry, only the commit
 * moves forward (the entries after it may still be good). Returns whether the log was replaced.
 */
export function restore(r: Raft, s: Snapshot): boolean {
  const { index, term, conf } = s.metadata
  if (index <= r.log.committed) return false
  if (r.log.matchTerm(index, term)) {
    r.log.commitTo(index)
    return false
  }
  r.log.restore(s)
  r.conf = conf
  r.confIndex = index
  return true
}
