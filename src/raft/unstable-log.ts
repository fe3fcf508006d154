// The tail of the log not yet persisted (model: etcd-io/raft log_unstable.go): entries from `offset`,
// possibly preceded by an incoming snapshot. Entries handed out in a Ready but not yet acknowledged are
// "in progress" (below offsetInProgress), so a second Ready does not hand them out again.
import { LogInvariantError } from './errors.js'
import type { Entry, Snapshot } from './types.js'

export class UnstableLog {
  snapshot: Snapshot | undefined = undefined
  snapshotInProgress = false
  entries: Entry[] = []
  /** Index of entries[0]. */
  offset: number
  /** Entries below this index were handed out for persistence. */
  offsetInProgress: number

  constructor(offset: number) {
    this.offset = offset
    this.offsetInProgress = offset
  }

  maybeFirstIndex(): number | undefined {
    return this.snapshot === undefined ? undefined : this.snapshot.metadata.index + 1
  }

  maybeLastIndex(): number | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1
    return this.snapshot?.metadata.index
  }

  maybeTerm(i: number): number | undefined {
    if (i < this.offset) {
      const md = this.snapshot?.metadata
      return md !== undefined && md.index === i ? md.term : undefined
    }
    const last = this.maybeLastIndex()
    if (last === undefined || i > last) return undefined
    return this.entries[i - this.offset].term
  }

  /** Entries not yet handed out for persistence. */
  nextEntries(): Entry[] {
    const start = this.offsetInProgress - this.offset
    return start >= this.entries.length ? [] : this.entries.slice(start)
  }

  nextSnapshot(): Snapshot | undefined {
    return this.snapshotInProgress ? undefined : this.snapshot
  }

  /** Marks everything currently unstable as handed out (a Ready carries it). */
  acceptInProgress(): void {
    if (this.entries.length > 0) this.offsetInProgress = this.offset + this.entries.length
    if (this.snapshot !== undefined) this.snapshotInProgress = true
  }

  /** Entries up to (i, t) are persisted. Ignored if the entry at i was since replaced (term differs). */
  stableTo(i: number, t: number): void {
    if (i < this.offset) return
    const gt = this.maybeTerm(i)
    if (gt === undefined || gt !== t) return
    this.entries = this.entries.slice(i + 1 - this.offset)
    this.offset = i + 1
    this.offsetInProgress = Math.max(this.offsetInProgress, this.offset)
  }

  stableSnapTo(i: number): void {
    if (this.snapshot !== undefined && this.snapshot.metadata.index === i) {
      this.snapshot = undefined
      this.snapshotInProgress = false
    }
  }

  restore(s: Snapshot): void {
    this.offset = s.metadata.index + 1
    this.offsetInProgress = this.offset
    this.entries = []
    this.snapshot = s
    this.snapshotInProgress = false
  }

  truncateAndAppend(ents: readonly Entry[]): void {
    if (ents.length === 0) return
    const from = ents[0].index
    if (from === this.offset + this.entries.length) {
      for (const e of ents) this.entries.push(e)
    } else if (from <= this.offset) {
      // The new entries replace everything unstable (and possibly some stable entries).
      this.entries = ents.slice()
      this.offset = from
      this.offsetInProgress = from
    } else {
      this.entries = this.entries.slice(0, from - this.offset).concat(ents)
      this.offsetInProgress = Math.min(this.offsetInProgress, from)
    }
  }

  /** Entries in [lo, hi); the range must lie within the unstable entries. */
  slice(lo: number, hi: number): Entry[] {
    const last = this.offset + this.entries.length
    if (lo > hi || lo < this.offset || hi > last) {
      throw new LogInvariantError(`unstable slice [${lo}, ${hi}) out of bounds [${this.offset}, ${last})`)
    }
    return this.entries.slice(lo - this.offset, hi - this.offset)
  }
}
