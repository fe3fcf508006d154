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
import type { Domain, PodGroup } from './groups.js'
import { tieBreak } from './hash.js'
import type { ClusterState, NodeState } from './state.js'

export function allocatedFraction(ns: NodeState, cpuMillis: number, memoryBytes: number): number {
  const a = ns.node.allocatable
  const cpu = a.cpuMillis > 0 ? (ns.cpuUsed + cpuMillis) / a.cpuMillis : 1
  const mem = a.memoryBytes > 0 ? (ns.memUsed + memoryBytes) / a.memoryBytes : 1
  return (cpu + mem) / 2
}

export class Ranker {
  /** Number of tiers in a score vector for this pod. */
  readonly width: number
  private readonly spreadDomains: readonly (Domain | undefined)[]
  private readonly antiMemo: Map<PodGroup, number>[]

  constructor(
    private readonly ctx: PodContext,
    private readonly state: ClusterState,
  ) {
    const spreading = ctx.strategy === 'spread' && ctx.pod.owner !== undefined
    // A key no node carries cannot separate nodes: skip it rather than score it.
    this.spreadDomains = spreading
      ? ctx.spreadKeys.map((k) => state.domain(k)).map((d) => (d.values.size > 0 ? d : undefined))
      : []
    this.antiMemo = ctx.preferredAnti.map(() => new Map())
    this.width = ctx.strategy === 'spread' ? 2 + 1 + this.spreadDomains.length + 1 + 1 : 2 + 1 + 1
  }

  /** Writes the node's tiers into out[0..width). */
  score(ns: NodeState, softTaints: number, affinityWeight: number, out: Float64Array): void {
    const { pod } = this.ctx
    out[0] = -softTaints
    out[1] = affinityWeight - this.antiAffinityPenalty(ns)
    let i = 2
    const alloc = allocatedFraction(ns, pod.requests.cpuMillis, pod.requests.memoryBytes)
    if (this.ctx.strategy === 'spread') {
      const owner = pod.owner
      out[i++] = owner === undefined ? 0 : -ns.group.ownerCount(owner)
      for (const d of this.spreadDomains) {
        const g = d?.groupOf[ns.index]
        out[i++] = owner === undefined || g === undefined ? 0 : -g.ownerCount(owner)
      }
      out[i++] = -alloc
    } else {
      out[i++] = alloc
    }
    out[i] = tieBreak(this.ctx.hash, ns.nameHash)
  }

  private antiAffinityPenalty(ns: NodeState): number {
    const terms = this.ctx.preferredAnti
    let penalty = 0
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i] as (typeof terms)[number]
      const d = this.state.domain(t.topologyKey)
      const g = d.groupOf[ns.index]
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
