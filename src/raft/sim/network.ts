import type { Message } from '../types.js'
import type { Rng } from './rng.js'
import type { Partition } from './partition.js'
import { allows, HEALED } from './partition.js'

/** Network conditions. Delays are in simulation steps; a message is never delivered in the step it was sent. */
export interface NetworkConditions {
  readonly minDelay: number
  readonly maxDelay: number
  /** Chance that a message is held back by up to `reorderDelay` extra steps, arriving after later ones. */
  readonly reorderRate: number
  readonly reorderDelay: number
  readonly dropRate: number
  readonly duplicateRate: number
}

export const CALM: NetworkConditions = { minDelay: 1, maxDelay: 4, reorderRate: 0, reorderDelay: 0, dropRate: 0, duplicateRate: 0 }

export interface NetworkStats {
  sent: number
  delivered: number
  dropped: number
  duplicated: number
  /** Lost to a partition. */
  cut: number
}


/**
 * The simulated network: every message waits a random delay drawn from the seed, may be dropped or duplicated
 * when sent, and is lost when a partition separates its ends at delivery time.
 */
export class Network {
  readonly stats: NetworkStats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0, cut: 0 }
  conditions: NetworkConditions = CALM
  partition: Partition = HEALED
  readonly #queue = new Map<number, Message[]>()
  readonly #rng: Rng

  constructor(rng: Rng) {
    this.#rng = rng
  }

  get inFlight(): number {
    let n = 0
    for (const q of this.#queue.values()) n += q.length
    return n
  }

  send(msg: Message, now: number): void {
    this.stats.sent++
    if (this.#rng.chance(this.conditions.dropRate)) {
      this.stats.dropped++
      return
    }
    this.#enqueue(msg, now)
    if (this.#rng.chance(this.conditions.duplicateRate)) {
      this.stats.duplicated++
      this.#enqueue(msg, now)
    }
  }

  /** Removes and returns the messages due at `now`, in arrival order. */
  due(now: number): Message[] {
    const q = this.#queue.get(now)
    if (q === undefined) return []
    this.#queue.delete(now)
    return q
  }

  /** Whether a message may cross the network now (partitions are checked at delivery). */
  passes(msg: Message): boolean {
    if (allows(this.partition, msg.from, msg.to)) return true
    this.stats.cut++
    return false
  }

  #enqueue(msg: Message, now: number): void {
    const c = this.conditions
    let delay = this.#rng.int(c.minDelay, c.maxDelay + 1)
    if (this.#rng.chance(c.reorderRate)) delay += this.#rng.int(1, c.reorderDelay + 1)
    const at = now + Math.max(1, delay)
    const q = this.#queue.get(at)
    if (q === undefined) this.#queue.set(at, [msg])
    else q.push(msg)
  }
}
