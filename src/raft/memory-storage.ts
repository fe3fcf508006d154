// In-memory Storage (model: etcd-io/raft storage.go MemoryStorage). The core only reads it; the driver
// appends to it after persisting each Ready, and compacts it after taking a snapshot.
import type { MemoryStorageApi } from './api.js'
import { CompactedError, CompactionError, SnapshotOutOfDateError, UnavailableError } from './errors.js'
import { limitSize } from './size.js'
import { EMPTY_HARD_STATE, type ConfState, type Entry, type HardState, type Snapshot } from './types.js'

const EMPTY_DATA = new Uint8Array(0)
export const EMPTY_CONF: ConfState = { voters: [], learners: [] }

function dummyEntry(index: number, term: number): Entry {
  return { index, term, type: 'normal', data: EMPTY_DATA }
}

export class MemoryStorage implements MemoryStorageApi {
  private hardState: HardState = EMPTY_HARD_STATE
  private snap: Snapshot
  /** ents[0] is a dummy entry at the snapshot's index and term; real entries follow. */
  private ents: Entry[]

  /** conf is the configuration of the initial (empty) snapshot at index 0. */
  constructor(conf: ConfState = EMPTY_CONF) {
    this.snap = { metadata: { index: 0, term: 0, conf }, data: EMPTY_DATA }
    this.ents = [dummyEntry(0, 0)]
  }

  initialState(): { hardState: HardState; conf: ConfState } {
    return { hardState: this.hardState, conf: this.snap.metadata.conf }
  }

  private get offset(): number {
    return this.ents[0].index
  }

  firstIndex(): number {
    return this.offset + 1
  }

  lastIndex(): number {
    return this.offset + this.ents.length - 1
  }

  term(i: number): number {
    const offset = this.offset
    if (i < offset) throw new CompactedError(i, offset + 1)
    if (i - offset >= this.ents.length) throw new UnavailableError(i, this.lastIndex())
    return this.ents[i - offset].term
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    const offset = this.offset
    if (lo <= offset) throw new CompactedError(lo, offset + 1)
    if (hi > this.lastIndex() + 1) throw new UnavailableError(hi - 1, this.lastIndex())
    if (lo >= hi) return []
    return limitSize(this.ents.slice(lo - offset, hi - offset), maxBytes)
  }

  snapshot(): Snapshot {
    return this.snap
  }

  setHardState(hs: HardState): void {
    this.hardState = hs
  }

  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return
    const first = this.firstIndex()
    const last = entries[0].index + entries.length - 1
    if (last < first) return // entirely compacted away
    const fresh = first > entries[0].index ? entries.slice(first - entries[0].index) : entries
    const at = fresh[0].index - this.offset
    if (at > this.ents.length) throw new UnavailableError(fresh[0].index, this.lastIndex())
    // In place: appends are the hot path, and copying the whole log on each would be quadratic.
    this.ents.length = at
    for (const e of fresh) this.ents.push(e)
  }

  applySnapshot(snap: Snapshot): void {
    const current = this.snap.metadata.index
    if (snap.metadata.index < current) throw new SnapshotOutOfDateError(snap.metadata.index, current)
    this.snap = snap
    this.ents = [dummyEntry(snap.metadata.index, snap.metadata.term)]
  }

  createSnapshot(index: number, conf: ConfState, data: Uint8Array): Snapshot {
    const current = this.snap.metadata.index
    if (index <= current) throw new SnapshotOutOfDateError(index, current)
    const term = this.term(index) // throws when index is outside the log
    this.snap = { metadata: { index, term, conf }, data }
    return this.snap
  }

  compact(index: number): void {
    const offset = this.offset
    if (index <= offset) throw new CompactedError(index, offset + 1)
    if (index > this.snap.metadata.index) throw new CompactionError(index, this.snap.metadata.index)
    const term = this.term(index)
    const rest = this.ents.slice(index - offset + 1)
    this.ents = [dummyEntry(index, term), ...rest]
  }
}
