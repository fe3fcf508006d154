// Feasibility checkers, Nomad style: one small named checker per reason a node can be rejected.
// A node must pass every checker. They run in the order of the two lists below, cheapest and
// most decisive first; schedule() counts a rejected node under the first checker it fails.
// Checkers are plain objects of one shape (built by `checker`), so the hot loop's calls stay monomorphic.
import { countInGroup } from './anti-affinity.js'
import type { PodContext } from './context.js'
import { portConflicts } from './ports.js'
import { FilterReason } from './reasons.js'
import { matchNodeSelector, matchNodeSelectorTerms } from './selectors.js'
import type { ClusterState } from './state.js'
import { firstUntoleratedHardTaint } from './taints.js'
import { topologyValue } from './topology.js'

export interface FeasibilityChecker {
  readonly reason: FilterReason
  /** False when the checker cannot reject any node for this pod, so the hot loop can skip it. */
  readonly applies: (ctx: PodContext) => boolean
  /** `node` indexes state.nodes. */
  readonly feasible: (ctx: PodContext, node: number, state: ClusterState) => boolean
}

function checker(
  reason: FilterReason,
  applies: FeasibilityChecker['applies'],
  feasible: FeasibilityChecker['feasible'],
): FeasibilityChecker {
  return { reason, applies, feasible }
}

const always = (): boolean => true

export const nodeReady = checker(FilterReason.NodeNotReady, always, (_c, i, s) => s.nodes[i]!.node.ready)

export const nodeSchedulable = checker(FilterReason.NodeCordoned, always, (_c, i, s) => !s.nodes[i]!.node.unschedulable)

/** A node that offers room for no pod at all (an agent started with --runtime none) runs none. */
export const runsPods = checker(FilterReason.NoPodRuntime, always, (_c, i, s) => s.nodes[i]!.node.allocatable.pods !== 0)

export const taintsTolerated = checker(FilterReason.UntoleratedTaint, always, (ctx, i, s) => {
  const taints = s.nodes[i]!.node.taints
  return taints.length === 0 || firstUntoleratedHardTaint(taints, ctx.pod.tolerations) === undefined
})

export const nodeSelector = checker(
  FilterReason.NodeSelectorMismatch,
  (ctx) => Object.keys(ctx.pod.nodeSelector).length > 0,
  (ctx, i, s) => matchNodeSelector(ctx.pod.nodeSelector, s.nodes[i]!.node.labels),
)

export const nodeAffinity = checker(
  FilterReason.NodeAffinityMismatch,
  (ctx) => (ctx.pod.nodeAffinity?.required?.length ?? 0) > 0,
  (ctx, i, s) => matchNodeSelectorTerms(ctx.pod.nodeAffinity?.required ?? [], s.nodes[i]!.node),
)

// A zero request fits even a node that placed pods already over-commit, as in Kubernetes.
export const cpuFits = checker(
  FilterReason.InsufficientCpu,
  (ctx) => ctx.pod.requests.cpuMillis > 0,
  (ctx, i, s) => {
    const req = ctx.pod.requests.cpuMillis
    return req === 0 || s.cpuUsed[i]! + req <= s.cpuAllocatable[i]!
  },
)

export const memoryFits = checker(
  FilterReason.InsufficientMemory,
  (ctx) => ctx.pod.requests.memoryBytes > 0,
  (ctx, i, s) => {
    const req = ctx.pod.requests.memoryBytes
    return req === 0 || s.memUsed[i]! + req <= s.memAllocatable[i]!
  },
)

export const podCountFits = checker(FilterReason.TooManyPods, always, (_c, i, s) => s.podCount[i]! < s.maxPods[i]!)

export const hostPortsFree = checker(
  FilterReason.HostPortConflict,
  (ctx) => ctx.ports.length > 0,
  (ctx, i, s) => {
    const table = s.nodes[i]!.ports
    return table.size === 0 || !portConflicts(table, ctx.ports)
  },
)

/** The pod's own required terms: no matching pod may run in the node's domain. */
export const podAntiAffinity = checker(
  FilterReason.PodAntiAffinity,
  (ctx) => ctx.requiredAnti.length > 0,
  (ctx, i, s) => {
    for (let k = 0; k < ctx.requiredAnti.length; k++) {
      const counted = ctx.requiredCounts[k]
      if (counted !== undefined) {
        const id = counted.ids[i]!
        if (id >= 0 && counted.counts.get(id) > 0) return false
        continue
      }
      const t = ctx.requiredAnti[k]!
      const group = s.domain(t.topologyKey).groupOf[i]
      if (group !== undefined && countInGroup(group, t, 1) > 0) return false
    }
    return true
  },
)

/** Placed pods' required terms that match this pod: it may not join their domains. */
export const existingAntiAffinity = checker(
  FilterReason.ExistingPodAntiAffinity,
  (ctx) => ctx.forbidden.length > 0,
  (ctx, i, s) => {
    const node = s.nodes[i]!.node
    for (const f of ctx.forbidden) {
      const v = topologyValue(node, f.key)
      if (v !== undefined && (f.values.get(v) ?? 0) > 0) return false
    }
    return true
  },
)

/**
 * Filters that read only the node and the pod's spec, never what is placed: their result holds for
 * the whole schedule() call, so it is computed once per pod shape (static-view.ts) and the hot loop
 * never runs them. Booleans first, then taints (usually none), then label matching.
 */
export const STATIC_CHECKERS: readonly FeasibilityChecker[] = [nodeReady, nodeSchedulable, runsPods, taintsTolerated, nodeSelector, nodeAffinity]

/**
 * Filters that read the per-node aggregates, which change with every placement: run per pod per
 * candidate node. Arithmetic on flat arrays first (it rejects most nodes in a full cluster), then
 * the port table, then anti-affinity, which may have to look at a domain's pods.
 */
export const DYNAMIC_CHECKERS: readonly FeasibilityChecker[] = [
  cpuFits,
  memoryFits,
  podCountFits,
  hostPortsFree,
  podAntiAffinity,
  existingAntiAffinity,
]

export const ALL_CHECKERS: readonly FeasibilityChecker[] = [...STATIC_CHECKERS, ...DYNAMIC_CHECKERS]
