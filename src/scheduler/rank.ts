// Ranking the feasible nodes for one pod. A node's score is a short vector of tiers compared
// lexicographically, higher is better at every tier, so that each term's priority is explicit:
//
//   0. fewer untolerated PreferNoSchedule taints   (the operator asked pods to avoid the node)
//   1. preferences of the pod: sum of the weights of matched preferred node-affinity terms, minus
//      weight x matching pods in the domain for each preferred anti-affinity term
//   2. the strategy:
//      spread:  fewer replicas of the pod's owner on the node, then fewer in the node's domain for
//               each spread key in order (a zone with fewer replicas wins), then least allocated
//      binpack: most allocated (after placing the pod), so nodes fill before new ones open
//   3. the tie-break hash of (seed, pod uid, node name)
//
// Allocation is the mean of the cpu and memory fractions of allocatable in use once the pod is placed.
import { countInGroup } from './anti-affinity.js'
import type { PodContext } from './context.js'
import type { PodGroup } from './groups.js'
import { tieBreak } from './hash.js'
import type { ClusterState } from './state.js'

export function allocatedFraction(s: ClusterState, node: number, cpuMillis: number, memoryBytes: number): number {
  const cpuAlloc = s.cpuAllocatable[node]!
  const memAlloc = s.memAllocatable[node]!
  const cpu = cpuAlloc > 0 ? (s.cpuUsed[node]! + cpuMillis) / cpuAlloc : 1
  const mem = memAlloc > 0 ? (s.memUsed[node]! + memoryBytes) / memAlloc : 1
  return (cpu + mem) / 2
}

/** One spread key's domains, with the owner's replicas per domain memoized for this pod (NaN: not yet read). */
interface SpreadTier {
  readonly ids: Int32Array
  readonly groups: readonly PodGroup[]
  readonly counts: Float64Array
}

export class Ranker {
  /** Number of tiers in a score vector for this pod. */
  readonly width: number
  private readonly ownerOnNode: Int32Array | undefined
  private readonly spread: readonly SpreadTier[]
  private readonly antiMemo: Map<PodGroup, number>[]

  constructor(
    private readonly ctx: PodContext,
    private readonly state: ClusterState,
  ) {
    const owner = ctx.strategy === 'spread' ? ctx.pod.owner : undefined
    this.ownerOnNode = owner === undefined ? undefined : state.owners.view(owner)
    // A key no node carries cannot separate nodes, and a key that gives each node its own domain
    // repeats the node tier: both are left out.
    this.spread = (owner === undefined ? [] : ctx.spreadKeys)
      .map((k) => state.domain(k))
      .filter((d) => d.values.size > 0 && !d.perNode)
      .map((d) => ({ ids: d.ids, groups: d.groups, counts: new Float64Array(d.groups.length).fill(NaN) }))
    this.antiMemo = ctx.preferredAnti.map(() => new Map())
    this.width = ctx.strategy === 'spread' ? 2 + 1 + this.spread.length + 1 + 1 : 2 + 1 + 1
  }

  /** Writes the node's tiers into out[0..width). */
  score(node: number, softTaints: number, affinityWeight: number, out: Float64Array): void {
    const { pod } = this.ctx
    out[0] = -softTaints
    out[1] = this.ctx.preferredAnti.length === 0 ? affinityWeight : affinityWeight - this.antiAffinityPenalty(node)
    let i = 2
    const alloc = allocatedFraction(this.state, node, pod.requests.cpuMillis, pod.requests.memoryBytes)
    if (this.ctx.strategy === 'spread') {
      out[i++] = this.ownerOnNode === undefined ? 0 : -(this.ownerOnNode[node]!)
      for (const t of this.spread) out[i++] = -this.domainCount(t, node)
      out[i++] = -alloc
    } else {
      out[i++] = alloc
    }
    out[i] = tieBreak(this.ctx.hash, this.state.nameHash[node]!)
  }

  private domainCount(t: SpreadTier, node: number): number {
    const id = t.ids[node] as number
    if (id < 0) return 0
    let n = t.counts[id] as number
    if (n !== n) {
      n = (t.groups[id] as PodGroup).ownerCount(this.ctx.pod.owner as string)
      t.counts[id] = n
    }
    return n
  }

  private antiAffinityPenalty(node: number): number {
    const terms = this.ctx.preferredAnti
    let penalty = 0
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i] as (typeof terms)[number]
      const d = this.state.domain(t.topologyKey)
      const g = d.groupOf[node]
      if (g === undefined) continue
      const memo = this.antiMemo[i] as Map<PodGroup, number>
      let n = d.perNode ? undefined : memo.get(g)
      if (n === undefined) {
        n = countInGroup(g, t)
        if (!d.perNode) memo.set(g, n)
      }
      penalty += t.weight * n
    }
    return penalty
  }
}

/** Positive when a ranks above b. */
export function compareScores(a: Float64Array, b: Float64Array, width: number): number {
  for (let i = 0; i < width; i++) {
    const d = (a[i] as number) - (b[i] as number)
    if (d !== 0) return d
  }
  return 0
}
