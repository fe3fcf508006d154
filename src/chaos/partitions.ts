// Partition shapes as directed cut links between node slots. Pure: the nemesis turns the cuts into
// packet-filter rules (iptables) or into the in-process filter's table.
import type { Cut, PartitionShape } from './faults.js'

/**
 * The links a shape cuts, for `order` (a permutation of the slots 0..n-1). `leader` is the slot that
 * leads when the fault starts; only the `leader` shape reads it (it falls back to order[0]).
 *
 * Worked example, 5 nodes, order [2 0 4 1 3]:
 *   halves: {2 0} | {4 1 3}        bridge: {0 4} | {1 3}, 2 talks to all
 *   ring:   2-0-4-1-3-2 only        oneway: 2's packets to the others are dropped
 */
export function cutLinks(shape: PartitionShape, order: readonly number[], leader?: number): Cut[] {
  const n = order.length
  switch (shape) {
    case 'leader': {
      const l = leader ?? order[0]!
      return isolate([l], order.filter((i) => i !== l))
    }
    case 'halves': {
      const k = Math.floor(n / 2)
      return isolate(order.slice(0, k), order.slice(k))
    }
    case 'bridge': {
      const rest = order.slice(1)
      const k = Math.floor(rest.length / 2)
      return isolate(rest.slice(0, k), rest.slice(k))
    }
    case 'ring': {
      const cuts: Cut[] = []
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          const d = Math.abs(a - b)
          if (a !== b && d !== 1 && d !== n - 1) cuts.push({ from: order[a]!, to: order[b]! })
        }
      }
      return cuts
    }
    case 'oneway':
      return order.slice(1).map((to) => ({ from: order[0]!, to }))
  }
}

/** Both directions between every node of `a` and every node of `b`. */
export function isolate(a: readonly number[], b: readonly number[]): Cut[] {
  const cuts: Cut[] = []
  for (const x of a) {
    for (const y of b) cuts.push({ from: x, to: y }, { from: y, to: x })
  }
  return cuts
}

/** Whether `from` can still reach `to` under these cuts. */
export function linkOpen(cuts: readonly Cut[], from: number, to: number): boolean {
  return !cuts.some((c) => c.from === from && c.to === to)
}

/** Human form: "n1->n2 n2->n1 …". */
export function describeCuts(cuts: readonly Cut[]): string {
  return cuts.map((c) => `n${c.from + 1}->n${c.to + 1}`).join(' ')
}
