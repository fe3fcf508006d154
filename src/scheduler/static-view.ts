// The static filters' verdict for one pod shape (static signature, see context.ts): which nodes pass,
// how many each static filter rejected, and the static score terms of the nodes that pass.
// Pods of one owner share a shape, so the hot loop walks a precomputed list of candidate nodes.
import type { PodContext } from './context.js'
import { STATIC_CHECKERS } from './feasibility.js'
import { REASONS } from './reasons.js'
import { matchNodeSelectorTerm } from './selectors.js'
import type { ClusterState, NodeState } from './state.js'
import { untoleratedSoftTaints } from './taints.js'
import type { SchedPod } from './types.js'

export interface StaticView {
  /** Indexes (into state.nodes) of the nodes that pass every static filter, in name order. */
  readonly feasible: Int32Array
  /** Nodes rejected, per reason code (index in REASONS). */
  readonly counts: Int32Array
  /** Per feasible node (same position): PreferNoSchedule taints not tolerated. */
  readonly softTaints: Int32Array
  /** Per feasible node: sum of the weights of the preferred node-affinity terms it matches. */
  readonly affinityWeight: Float64Array
}

const STATIC_CODES = STATIC_CHECKERS.map((c) => REASONS.indexOf(c.reason))

/** The index in STATIC_CHECKERS of the first static filter the node fails, or -1. */
export function firstStaticFailure(ctx: PodContext, ns: NodeState, state: ClusterState): number {
  for (let i = 0; i < STATIC_CHECKERS.length; i++) {
    const c = STATIC_CHECKERS[i]!
    if (c.applies(ctx) && !c.feasible(ctx, ns.index, state)) return i
  }
  return -1
}

export function preferredAffinityWeight(pod: SchedPod, ns: NodeState): number {
  let w = 0
  for (const p of pod.nodeAffinity?.preferred ?? []) if (matchNodeSelectorTerm(p.preference, ns.node)) w += p.weight
  return w
}

export function buildStaticView(ctx: PodContext, state: ClusterState): StaticView {
  const counts = new Int32Array(REASONS.length)
  const feasible: number[] = []
  for (const ns of state.nodes) {
    const failed = firstStaticFailure(ctx, ns, state)
    if (failed < 0) feasible.push(ns.index)
    else counts[STATIC_CODES[failed]!]++
  }
  const softTaints = new Int32Array(feasible.length)
  const affinityWeight = new Float64Array(feasible.length)
  feasible.forEach((idx, pos) => {
    const ns = state.nodes[idx]!
    if (ns.node.taints.length > 0) softTaints[pos] = untoleratedSoftTaints(ns.node.taints, ctx.pod.tolerations)
    affinityWeight[pos] = preferredAffinityWeight(ctx.pod, ns)
  })
  return { feasible: Int32Array.from(feasible), counts, softTaints, affinityWeight }
}
