// Lowe's memoization for the WGL search: a (linearized set, model state) pair seen once has been
// explored already, and since the search is still running, that exploration failed.

import type { LinearizedSet, SetSnapshot } from './bitset.js'

interface Seen<S> {
  readonly set: SetSnapshot
  readonly state: S
}

export class Memo<S> {
  private readonly buckets = new Map<number, Seen<S>[]>()
  private count = 0

  constructor(private readonly equal: (a: S, b: S) => boolean) {}

  get size(): number {
    return this.count
  }

  /** Records the pair; false if it was already there. */
  add(set: LinearizedSet, state: S, stateHash: number): boolean {
    const key = (set.hash ^ Math.imul(stateHash, 0x9e3779b1)) | 0
    const bucket = this.buckets.get(key)
    if (bucket !== undefined) {
      for (const seen of bucket) {
        if (set.matches(seen.set) && this.equal(seen.state, state)) return false
      }
      bucket.push({ set: set.snapshot(), state })
    } else {
      this.buckets.set(key, [{ set: set.snapshot(), state }])
    }
    this.count++
    return true
  }
}
