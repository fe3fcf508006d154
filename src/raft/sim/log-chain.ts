import type { Entry } from '../types.js'
import { chainHash, EMPTY_CHAIN } from './hash.js'

/** One entry a node now holds, with the hash of itself and of the log through it (for Log Matching). */
export interface HeldEntry {
  readonly index: number
  readonly term: number
  readonly chain: number
  readonly entry: number
}

/** The chained hashes of a node's log, from its snapshot (or index 0) to its last entry. */
export class LogChain {
  #base = 0
  #chains: number[] = [EMPTY_CHAIN]

  get lastIndex(): number {
    return this.#base + this.#chains.length - 1
  }

  /** The log now starts after a snapshot at `index`, whose history hashes to `chain`. */
  reset(index: number, chain: number): void {
    this.#base = index
    this.#chains = [chain]
  }

  /** Appends (truncating a conflicting suffix). Returns the entries now held, or a description of a gap. */
  append(entries: readonly Entry[]): HeldEntry[] | string {
    const fresh = entries.filter((e) => e.index > this.#base)
    const first = fresh[0]
    if (first === undefined) return []
    if (first.index > this.lastIndex + 1) {
      return `entries from index ${first.index} appended to a log ending at ${this.lastIndex}`
    }
    this.#chains.length = first.index - this.#base
    const held: HeldEntry[] = []
    let prev = this.#chains[this.#chains.length - 1] as number
    for (const e of fresh) {
      if (e.index !== this.lastIndex + 1) return `entry ${e.index} follows ${this.lastIndex} in one append`
      prev = chainHash(prev, e)
      this.#chains.push(prev)
      held.push({ index: e.index, term: e.term, chain: prev, entry: chainHash(EMPTY_CHAIN, e) })
    }
    return held
  }
}
