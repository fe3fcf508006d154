// The vocabulary of the chaos runner's faults: what the nemesis can do, and a schedule of it.

export const NEMESES = ['kill', 'pause', 'partition', 'membership'] as const
export type NemesisKind = (typeof NEMESES)[number]

/**
 * Partition shapes, each a set of directed links that stop carrying packets:
 * - `leader`: the current leader is cut off from everyone.
 * - `halves`: a minority and a majority side.
 * - `bridge`: two sides that cannot talk, and one node that talks to both.
 * - `ring`: every node talks only to its two neighbours in a ring (4 nodes or more).
 * - `oneway`: one node's packets to the others are lost; theirs still reach it.
 */
export const PARTITION_SHAPES = ['leader', 'halves', 'bridge', 'ring', 'oneway'] as const
export type PartitionShape = (typeof PARTITION_SHAPES)[number]

/** A node named by its slot (0..n-1), or "whichever node leads when the fault starts". */
export type NodeRef = { readonly leader: true } | { readonly index: number }

export type Fault =
  | { readonly kind: 'kill'; readonly node: NodeRef }
  | { readonly kind: 'pause'; readonly node: NodeRef }
  | { readonly kind: 'membership'; readonly node: NodeRef }
  /** `order` is a permutation of the slots that the shape reads (see `cutLinks`). */
  | { readonly kind: 'partition'; readonly shape: PartitionShape; readonly order: readonly number[] }

export interface ScheduledFault {
  readonly id: number
  /** Milliseconds after the workload starts. */
  readonly at: number
  /** How long the fault lasts before it is healed, in milliseconds. */
  readonly duration: number
  readonly fault: Fault
}

/** A directed link between two slots that drops packets: `from`'s packets do not reach `to`. */
export interface Cut {
  readonly from: number
  readonly to: number
}

export function describeNodeRef(ref: NodeRef): string {
  return 'leader' in ref ? 'the leader' : `n${ref.index + 1}`
}

export function describeFault(f: Fault): string {
  switch (f.kind) {
    case 'kill':
      return `kill -9 ${describeNodeRef(f.node)}, then restart`
    case 'pause':
      return `SIGSTOP ${describeNodeRef(f.node)}, then SIGCONT`
    case 'membership':
      return `${describeNodeRef(f.node)} leaves, then joins again with a fresh data dir`
    case 'partition':
      return `partition: ${f.shape} [${f.order.map((i) => `n${i + 1}`).join(' ')}]`
  }
}
