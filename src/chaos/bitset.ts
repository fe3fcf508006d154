// The set of linearized operations, with O(1) set/clear and an incrementally maintained hash
// (Zobrist: XOR of a fixed pseudo-random word per element), and a compact snapshot for the memo.
//
// Operations are numbered in call order and the search linearizes roughly in that order, so the
// set is "all of [0, lo) plus a few above": the snapshot keeps only the words from the first
// non-full word to the last non-empty one.

const FULL = 0xffffffff

export interface SetSnapshot {
  readonly lo: number
  readonly words: Uint32Array
}

export class LinearizedSet {
  private readonly words: Uint32Array
  /** Index of the first word that is not all ones. */
  private lo = 0
  /** One past the last word that is not zero. */
  private hi = 0
  private h = 0

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32) + 1)
  }

  get hash(): number {
    return this.h
  }

  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0
  }

  add(i: number): void {
    const w = i >>> 5
    this.words[w] = this.words[w]! | (1 << (i & 31))
    this.h ^= zobrist(i)
    if (w >= this.hi) this.hi = w + 1
    while (this.words[this.lo] === FULL) this.lo++
  }

  delete(i: number): void {
    const w = i >>> 5
    this.words[w] = this.words[w]! & ~(1 << (i & 31))
    this.h ^= zobrist(i)
    if (w < this.lo) this.lo = w
    while (this.hi > 0 && this.words[this.hi - 1] === 0) this.hi--
  }

  snapshot(): SetSnapshot {
    return { lo: this.lo, words: this.words.slice(this.lo, Math.max(this.lo, this.hi)) }
  }

  matches(s: SetSnapshot): boolean {
    if (s.lo !== this.lo || s.words.length !== Math.max(0, this.hi - this.lo)) return false
    for (let i = 0; i < s.words.length; i++) {
      if (s.words[i] !== this.words[this.lo + i]) return false
    }
    return true
  }
}

/** murmur3's finalizer: a well-mixed 32-bit word per element, no table to allocate. */
function zobrist(i: number): number {
  let h = (i + 0x9e3779b9) | 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return h ^ (h >>> 16)
}
