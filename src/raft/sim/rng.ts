import { seededRand } from '../rand.js'
import type { Rand } from '../rand.js'

/** The simulator's one source of randomness: every choice of a run is drawn from here, so a seed replays it exactly. */
export class Rng {
  readonly #rand: Rand

  constructor(seed: number) {
    this.#rand = seededRand(seed)
  }

  next(): number {
    return this.#rand()
  }

  /** An integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.#rand() * (hi - lo))
  }

  chance(p: number): boolean {
    return p > 0 && this.#rand() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list')
    return items[this.int(0, items.length)] as T
  }

  /** A new independent stream (for a node's election timeouts), drawn from this one. */
  fork(): Rand {
    return seededRand(this.int(0, 0x7fffffff))
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1)
      const tmp = out[i] as T
      out[i] = out[j] as T
      out[j] = tmp
    }
    return out
  }

  /** A random non-empty proper subset (when items has at least two elements). */
  subset<T>(items: readonly T[], size: number): T[] {
    return this.shuffle(items).slice(0, size)
  }
}
