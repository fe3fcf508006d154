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

  /** Tier k of the node's score (0 <= k < width). */
  tier(k: number, node: number, softTaints: number, affinityWeight: number): number {
    if (k === 0) return -softTaints
    if (k === 1) return this.ctx.preferredAnti.length === 0 ? affinityWeight : affinityWeight - this.antiAffinityPenalty(node)
    if (k === this.width - 1) return tieBreak(this.ctx.hash, this.state.nameHash[node]!)
    const { requests } = this.ctx.pod
    if (this.ctx.strategy === 'binpack') return allocatedFraction(this.state, node, requests.cpuMillis, requests.memoryBytes)
    if (k === 2) return this.ownerOnNode === undefined ? 0 : -this.ownerOnNode[node]!
    const t = this.spread[k - 3]
    if (t !== undefined) return -this.domainCount(t, node)
    return -allocatedFraction(this.state, node, requests.cpuMillis, requests.memoryBytes)
  }

  /** Writes the node's tiers into out[0..width). */
  score(node: number, softTaints: number, affinityWeight: number, out: Float64Array): void {
    for (let k = 0; k < this.width; k++) out[k] = this.tier(k, node, softTaints, affinityWeight)
  }

  /**
   * Whether the node ranks above `best` (the tiers of the best node so far). Tiers are computed
   * only as far as needed to decide; when the node wins, `out` receives all its tiers.
   */
  beats(node: number, softTaints: number, affinityWeight: number, best: Float64Array, out: Float64Array): boolean {
    for (let k = 0; k < this.width; k++) {
      const v = this.tier(k, node, softTaints, affinityWeight)
      const d = v - best[k]!
      if (d < 0) return false
      out[k] = v
      if (d > 0) {
        for (let j = k + 1; j < this.width; j++) out[j] = this.tier(j, node, softTaints, affinityWeight)
        return true
      }
    }
    return false
  }

  private domainCount(t: SpreadTier, node: number): number {
    const id = t.ids[node]!
    if (id < 0) return 0
    let n = t.counts[id]!
    if (n !== n) {
      n = t.groups[id]!.ownerCount(this.ctx.pod.owner!)
      t.counts[id] = n
    }
    return n
  }

  private antiAffinityPenalty(node: number): number {
    const terms = this.ctx.preferredAnti
    let penalty = 0
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i]!
      const counted = this.ctx.preferredCounts[i]
      if (counted !== undefined) {
        const id = counted.ids[node]!
        if (id >= 0) penalty += t.weight * counted.counts.get(id)
        continue
      }
      const d = this.state.domain(t.topologyKey)
      const g = d.groupOf[node]
      if (g === undefined) continue
      const memo = this.antiMemo[i]!
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
    const d = a[i]! - b[i]!
    if (d !== 0) return d
  }
  return 0
}
