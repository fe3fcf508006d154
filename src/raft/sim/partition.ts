import type { NodeId } from '../types.js'
import type { Rng } from './rng.js'

export type PartitionKind = 'symmetric' | 'oneWay' | 'leaderIsolation' | 'bridge'

/** Which directed links are cut. Nodes not named (a node that joined later) are connected to everyone. */
export interface Partition {
  readonly kind: PartitionKind
  readonly cut: ReadonlySet<string>
  /** e.g. `{n1,n2} | {n3}` or `n1 -/-> {n2,n3}`. */
  readonly description: string
}

export const HEALED: Partition = { kind: 'symmetric', cut: new Set(), description: 'healed' }

export function link(from: NodeId, to: NodeId): string {
  return `${from}>${to}`
}

export function allows(p: Partition, from: NodeId, to: NodeId): boolean {
  return !p.cut.has(link(from, to))
}

function group(ids: readonly NodeId[]): string {
  return `{${ids.join(',')}}`
}

function cutBetween(cut: Set<string>, a: readonly NodeId[], b: readonly NodeId[], bothWays: boolean): void {
  for (const x of a) {
    for (const y of b) {
      cut.add(link(x, y))
      if (bothWays) cut.add(link(y, x))
    }
  }
}

/** Two sides that cannot talk to each other at all. */
export function symmetric(a: readonly NodeId[], b: readonly NodeId[]): Partition {
  const cut = new Set<string>()
  cutBetween(cut, a, b, true)
  return { kind: 'symmetric', cut, description: `${group(a)} | ${group(b)}` }
}

/** `from` can no longer reach `to`, but `to` still reaches `from`. */
export function oneWay(from: readonly NodeId[], to: readonly NodeId[]): Partition {
  const cut = new Set<string>()
  cutBetween(cut, from, to, false)
  return { kind: 'oneWay', cut, description: `${group(from)} -/-> ${group(to)}` }
}

/** The leader can neither send nor receive. */
export function isolate(leader: NodeId, others: readonly NodeId[]): Partition {
  const cut = new Set<string>()
  cutBetween(cut, [leader], others, true)
  return { kind: 'leaderIsolation', cut, description: `isolate leader ${leader} from ${group(others)}` }
}

/** Two halves that cannot talk to each other, both connected to one bridge node. */
export function bridge(left: readonly NodeId[], bridgeNode: NodeId, right: readonly NodeId[]): Partition {
  const cut = new Set<string>()
  cutBetween(cut, left, right, true)
  return { kind: 'bridge', cut, description: `${group(left)} <-> ${bridgeNode} <-> ${group(right)}` }
}

/** A partition of `nodes` of a kind drawn from rng. `leader` (when known) is the one isolated by leaderIsolation. */
export function randomPartition(rng: Rng, nodes: readonly NodeId[], leader: NodeId | undefined): Partition {
  const ids = rng.shuffle(nodes)
  const kind = rng.pick<PartitionKind>(['symmetric', 'oneWay', 'leaderIsolation', 'bridge'])
  if (ids.length < 2) return HEALED
  switch (kind) {
    case 'symmetric': {
      const k = rng.int(1, ids.length)
      return symmetric(ids.slice(0, k).sort(), ids.slice(k).sort())
    }
    case 'oneWay': {
      const k = rng.int(1, ids.length)
      return oneWay(ids.slice(0, k).sort(), ids.slice(k).sort())
    }
    case 'leaderIsolation': {
      const target = leader !== undefined && nodes.includes(leader) ? leader : (ids[0] as NodeId)
      return isolate(target, nodes.filter((n) => n !== target))
    }
    case 'bridge': {
      if (ids.length < 3) return symmetric(ids.slice(0, 1), ids.slice(1))
      const k = rng.int(1, ids.length - 1)
      return bridge(ids.slice(0, k).sort(), ids[k] as NodeId, ids.slice(k + 1).sort())
    }
  }
}
