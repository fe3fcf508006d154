// Flow control for a follower in 'replicate' state (model: etcd-io/raft tracker/inflights.go):
// the append messages sent but not yet acknowledged, bounded by a count AND a byte budget.
import { LogInvariantError } from './errors.js'

export class Inflights {
  /** Ring buffers: the last index of each in-flight append and its size in bytes. */
  private readonly indexes: number[]
  private readonly sizes: number[]
  private start = 0
  private n = 0
  private totalBytes = 0

  /** maxBytes 0 means no byte limit. */
  constructor(readonly capacity: number, readonly maxBytes: number) {
    if (capacity < 1) throw new LogInvariantError('inflights capacity must be >= 1')
    this.indexes = new Array<number>(capacity).fill(0)
    this.sizes = new Array<number>(capacity).fill(0)
  }

  get count(): number {
    return this.n
  }

  get bytes(): number {
    return this.totalBytes
  }

  full(): boolean {
    return this.n === this.capacity || (this.maxBytes > 0 && this.totalBytes >= this.maxBytes)
  }

  /** Records an append whose last entry is index. Indexes must increase. */
  add(index: number, bytes: number): void {
    if (this.n === this.capacity) throw new LogInvariantError('cannot add to a full inflights')
    const at = (this.start + this.n) % this.capacity
    this.indexes[at] = index
    this.sizes[at] = bytes
    this.n++
    this.totalBytes += bytes
  }

  /** Frees every in-flight append whose last index is <= index (they were acknowledged). */
  freeLE(index: number): void {
    while (this.n > 0 && this.indexes[this.start] <= index) {
      this.totalBytes -= this.sizes[this.start]
      this.start = (this.start + 1) % this.capacity
      this.n--
    }
    if (this.n === 0) this.start = 0
  }

  reset(): void {
    this.start = 0
    this.n = 0
    this.totalBytes = 0
  }
}
