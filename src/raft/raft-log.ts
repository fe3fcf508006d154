// The log as the core sees it (model: etcd-io/raft log.go): the stable part in Storage plus the unstable tail,
// with the commit and apply cursors. Indexes: firstIndex-1 (the snapshot) <= applied <= applying <= committed <= lastIndex.
import { CompactedError, LogInvariantError, isStorageRangeError } from './errors.js'
import { limitSize } from './size.js'
import type { Entry, Snapshot, Storage } from './types.js'
import { UnstableLog } from './unstable-log.js'

export type AppendResult =
  | { readonly ok: true; readonly lastIndex: number }
  /** mismatch: no entry (prevIndex, prevTerm); committedConflict: the entries contradict committed ones (a broken leader). */
  | { readonly ok: false; readonly reason: 'mismatch' | 'committedConflict' }

export class RaftLog {
  readonly storage: Storage
  readonly unstable: UnstableLog
  committed: number
  /** Highest index handed out for application (in a Ready not yet acknowledged, or applied). */
  applying: number
  applied: number

  constructor(storage: Storage) {
    this.storage = storage
    this.unstable = new UnstableLog(storage.lastIndex() + 1)
    const snapIndex = storage.firstIndex() - 1
    this.committed = snapIndex
    this.applying = snapIndex
    this.applied = snapIndex
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex()
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex()
  }

  /** Term of entry i, or undefined when i is compacted (below firstIndex-1) or beyond the last index. */
  term(i: number): number | undefined {
    if (i < this.firstIndex() - 1 || i > this.lastIndex()) return undefined
    const t = this.unstable.maybeTerm(i)
    if (t !== undefined) return t
    try {
      return this.storage.term(i)
    } catch (e) {
      if (isStorageRangeError(e)) return undefined
      throw e
    }
  }

  lastTerm(): number {
    return this.term(this.lastIndex()) ?? 0
  }

  matchTerm(i: number, t: number): boolean {
    return this.term(i) === t
  }

  /** §5.4.1: a log is at least as up to date if its last term is higher, or equal with a last index at least as high. */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ours = this.lastTerm()
    return lastTerm > ours || (lastTerm === ours && lastIndex >= this.lastIndex())
  }

  /** Index of the first entry of ents that is not in the log (conflicting or new), 0 if all match. */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) if (!this.matchTerm(e.index, e.term)) return e.index
    return 0
  }

  /**
   * The largest index <= index whose term is <= term, with that term (etcd's fast backtracking).
   * An index whose term is unknown (compacted) is returned with term 0: it may match.
   */
  findConflictByTerm(index: number, term: number): [number, number] {
    for (; index > 0; index--) {
      const ours = this.term(index)
      if (ours === undefined) return [index, 0]
      if (ours <= term) return [index, ours]
    }
    return [0, 0]
  }

  /** A follower's handling of an append: check (prevIndex, prevTerm), append what is new, advance commit. */
  maybeAppend(prevIndex: number, prevTerm: number, commit: number, ents: readonly Entry[]): AppendResult {
    if (!this.matchTerm(prevIndex, prevTerm)) return { ok: false, reason: 'mismatch' }
    const lastNew = prevIndex + ents.length
    const ci = this.findConflict(ents)
    if (ci !== 0) {
      if (ci <= this.committed) return { ok: false, reason: 'committedConflict' }
      this.append(ents.slice(ci - (prevIndex + 1)))
    }
    this.commitTo(Math.min(commit, lastNew))
    return { ok: true, lastIndex: lastNew }
  }

  append(ents: readonly Entry[]): number {
    if (ents.length === 0) return this.lastIndex()
    if (ents[0].index - 1 < this.committed) {
      throw new LogInvariantError(`append at ${ents[0].index} would overwrite committed entries (commit ${this.committed})`)
    }
    this.unstable.truncateAndAppend(ents)
    return this.lastIndex()
  }

  /** Entries in [lo, hi) up to maxBytes (at least one). Throws CompactedError when lo < firstIndex. */
  slice(lo: number, hi: number, maxBytes: number): Entry[] {
    const first = this.firstIndex()
    if (lo < first) throw new CompactedError(lo, first)
    if (hi > this.lastIndex() + 1) throw new LogInvariantError(`slice [${lo}, ${hi}) beyond last index ${this.lastIndex()}`)
    if (lo >= hi) return []
    const uoff = this.unstable.offset
    let ents: Entry[] = []
    if (lo < uoff) {
      const storedHi = Math.min(hi, uoff)
      ents = this.storage.entries(lo, storedHi, maxBytes)
      if (ents.length < storedHi - lo) return ents // the size limit cut the stored part short
    }
    if (hi > uoff) ents = ents.concat(this.unstable.slice(Math.max(lo, uoff), hi))
    return limitSize(ents, maxBytes)
  }

  /** Committed entries not yet handed out. None while a snapshot is pending (it must be applied first). */
  hasNextCommittedEnts(): boolean {
    return this.unstable.snapshot === undefined && this.committed > this.applying
  }

  nextCommittedEnts(maxBytes: number): Entry[] {
    if (!this.hasNextCommittedEnts()) return []
    return this.slice(this.applying + 1, this.committed + 1, maxBytes)
  }

  commitTo(i: number): void {
    if (i <= this.committed) return
    if (i > this.lastIndex()) throw new LogInvariantError(`commit ${i} beyond last index ${this.lastIndex()}`)
    this.committed = i
  }

  /** Figure 8: only an entry of the current term is committed by counting replicas. */
  maybeCommit(maxIndex: number, term: number): boolean {
    if (maxIndex > this.committed && this.term(maxIndex) === term) {
      this.commitTo(maxIndex)
      return true
    }
    return false
  }

  acceptApplying(i: number): void {
    this.applying = Math.max(this.applying, i)
  }

  appliedTo(i: number): void {
    this.applied = Math.max(this.applied, i)
    this.applying = Math.max(this.applying, i)
  }

  stableTo(i: number, t: number): void {
    this.unstable.stableTo(i, t)
  }

  stableSnapTo(i: number): void {
    this.unstable.stableSnapTo(i)
  }

  /** Last index known durable and still part of this log (the leader counts only this for itself). */
  persistedIndex(): number {
    if (this.unstable.snapshot !== undefined) return 0
    return Math.min(this.storage.lastIndex(), this.unstable.offset - 1)
  }

  restore(s: Snapshot): void {
    this.committed = s.metadata.index
    this.unstable.restore(s)
  }

  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot()
  }
}
