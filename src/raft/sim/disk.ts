import type { ConfState, Entry, HardState, Snapshot } from '../types.js'
import { EMPTY_HARD_STATE } from '../types.js'

/** One Ready's worth of writes, in the order the contract gives: snapshot, entries, hard state. */
export interface Write {
  readonly snapshot: Snapshot | undefined
  readonly entries: readonly Entry[]
  readonly hardState: HardState | undefined
}

/** What survives a crash. `entries` follow the snapshot (or index 0), contiguous. */
export interface DiskImage {
  readonly initialConf: ConfState
  readonly snapshot: Snapshot | undefined
  readonly entries: readonly Entry[]
  readonly hardState: HardState
}

interface MutableImage {
  initialConf: ConfState
  snapshot: Snapshot | undefined
  entries: Entry[]
  hardState: HardState
}

/**
 * A node's disk. Writes of a Ready with mustSync are fsynced together with every write before them;
 * writes of a Ready without it sit in the page cache and are lost if the node crashes before the next sync.
 */
export class Disk {
  #synced: MutableImage
  readonly #cache: Write[] = []
  /** A lying disk (for proving the checks): a crash also loses the last fsynced Ready. */
  readonly #forgetful: boolean
  #beforeLastSync: MutableImage | undefined

  constructor(initialConf: ConfState, opts: { forgetful?: boolean } = {}) {
    this.#synced = { initialConf, snapshot: undefined, entries: [], hardState: EMPTY_HARD_STATE }
    this.#forgetful = opts.forgetful ?? false
  }

  /** What a restart reads back. */
  get image(): DiskImage {
    return this.#synced
  }

  write(w: Write, sync: boolean): void {
    this.#cache.push(w)
    if (sync) this.sync()
  }

  sync(): void {
    if (this.#cache.length === 0) return
    if (this.#forgetful) this.#beforeLastSync = { ...this.#synced, entries: [...this.#synced.entries] }
    for (const w of this.#cache) applyWrite(this.#synced, w)
    this.#cache.length = 0
  }

  /** The application saved a snapshot and compacted the log through `compactIndex` (both fsynced). */
  saveSnapshot(snap: Snapshot, compactIndex: number): void {
    this.sync()
    this.#beforeLastSync = undefined
    this.#synced.snapshot = snap
    this.#synced.entries = this.#synced.entries.filter((e) => e.index > compactIndex)
  }

  /** Drops what was never fsynced (and, on a lying disk, the last fsynced Ready too). */
  crash(): void {
    this.#cache.length = 0
    if (this.#beforeLastSync !== undefined) this.#synced = this.#beforeLastSync
    this.#beforeLastSync = undefined
  }
}

function applyWrite(img: MutableImage, w: Write): void {
  if (w.snapshot !== undefined) {
    img.snapshot = w.snapshot
    img.entries = []
  }
  if (w.entries.length > 0) {
    const floor = img.snapshot?.metadata.index ?? 0
    const fresh = w.entries.filter((e) => e.index > floor)
    const first = fresh[0]?.index
    if (first !== undefined) {
      const base = img.entries[0]?.index
      if (base !== undefined) img.entries.length = Math.max(0, Math.min(img.entries.length, first - base))
      img.entries.push(...fresh)
    }
  }
  if (w.hardState !== undefined) img.hardState = w.hardState
}
