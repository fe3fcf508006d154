import type { Change } from './store.js'

/** What a watcher from resourceVersion N gets: every change after N, or gone when N is older than the history. */
export type HistoryRead = { readonly ok: true; readonly changes: readonly Change[] } | { readonly ok: false; readonly oldest: number }

/**
 * A bounded, in-order window of the changes applied on this node (a ring buffer). `floor` is the index
 * from which the window is complete: every change with index > floor is in it. A node that restarted
 * starts its window at its snapshot, so watches from before that are answered "gone".
 */
export class WatchHistory {
  private readonly ring: (Change | undefined)[]
  private head = 0
  private count = 0
  private floorIndex: number

  constructor(
    readonly capacity = 20_000,
    floor = 0,
  ) {
    this.ring = new Array<Change | undefined>(capacity)
    this.floorIndex = floor
  }

  get floor(): number {
    return this.floorIndex
  }

  get size(): number {
    return this.count
  }

  add(changes: readonly Change[]): void {
    for (const c of changes) {
      if (this.count === this.capacity) this.evictOldest()
      this.ring[(this.head + this.count) % this.capacity] = c
      this.count++
    }
  }

  /** Changes with index > after, in order; gone when some of them were already evicted. */
  since(after: number): HistoryRead {
    if (after < this.floorIndex) return { ok: false, oldest: this.floorIndex }
    const out: Change[] = []
    // Binary search would do; watchers mostly start near the end, so scan back from the newest.
    let i = this.count
    while (i > 0 && this.at(i - 1).index > after) i--
    for (; i < this.count; i++) out.push(this.at(i))
    return { ok: true, changes: out }
  }

  /** Forgets everything: the state was replaced by a snapshot at index. */
  reset(floor: number): void {
    this.ring.fill(undefined)
    this.head = 0
    this.count = 0
    this.floorIndex = floor
  }

  private at(i: number): Change {
    return this.ring[(this.head + i) % this.capacity]!
  }

  private evictOldest(): void {
    const oldest = this.at(0)
    this.ring[this.head] = undefined
    this.head = (this.head + 1) % this.capacity
    this.count--
    // Changes made by one entry share an index: once one is gone, a watch from just before it cannot be served.
    this.floorIndex = Math.max(this.floorIndex, oldest.index)
  }
}
