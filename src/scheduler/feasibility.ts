// Feasibility checkers, Nomad style: one small named class per reason a node can be rejected.
// A node must pass every checker. They run in the order of the two lists below, cheapest and
// most decisive first; schedule() counts a rejected node under the first checker it fails.
import { countInGroup } from './anti-affinity.js'
import type { PodContext } from './context.js'
import { portConflicts } from './ports.js'
import { FilterReason } from './reasons.js'
import { matchNodeSelector, matchNodeSelectorTerms } from './selectors.js'
import type { ClusterState, NodeState } from './state.js'
import { firstUntoleratedHardTaint } from './taints.js'
import { topologyValue } from './topology.js'

export interface FeasibilityChecker {
  readonly reason: FilterReason
  /** False when the checker cannot reject any node for this pod, so the hot loop can skip it. */
  applies(ctx: PodContext): boolean
  feasible(ctx: PodContext, ns: NodeState, state: ClusterState): boolean
}

export class NodeReadyChecker implements FeasibilityChecker {
  readonly reason = FilterReason.NodeNotReady
  applies(): boolean {
    return true
  }
  feasible(_ctx: PodContext, ns: NodeState): boolean {
    return ns.node.ready
  }
}

export class NodeSchedulableChecker implements FeasibilityChecker {
  readonly reason = FilterReason.NodeCordoned
  applies(): boolean {
    return true
  }
  feasible(_ctx: PodContext, ns: NodeState): boolean {
    return !ns.node.unschedulable
  }
}

export class TaintChecker implements FeasibilityChecker {
  readonly reason = FilterReason.UntoleratedTaint
  applies(): boolean {
    return true
  }
  feasible(ctx: PodContext, ns: NodeState): boolean {
    return ns.node.taints.length === 0 || firstUntoleratedHardTaint(ns.node.taints, ctx.pod.tolerations) === undefined
  }
}

export class NodeSelectorChecker implements FeasibilityChecker {
  readonly reason = FilterReason.NodeSelectorMismatch
  applies(ctx: PodContext): boolean {
    for (const _ in ctx.pod.nodeSelector) return true
    return false
  }
  feasible(ctx: PodContext, ns: NodeState): boolean {
    return matchNodeSelector(ctx.pod.nodeSelector, ns.node.labels)
  }
}

export class NodeAffinityChecker implements FeasibilityChecker {
  readonly reason = FilterReason.NodeAffinityMismatch
  applies(ctx: PodContext): boolean {
    return (ctx.pod.nodeAffinity?.required?.length ?? 0) > 0
  }
  feasible(ctx: PodContext, ns: NodeState): boolean {
    return matchNodeSelectorTerms(ctx.pod.nodeAffinity?.required ?? [], ns.node)
  }
}

// A zero request fits even a node that placed pods already over-commit, as in Kubernetes.
export class CpuChecker implements FeasibilityChecker {
  readonly reason = FilterReason.InsufficientCpu
  applies(ctx: PodContext): boolean {
    return ctx.pod.requests.cpuMillis > 0
  }
  feasible(ctx: PodContext, ns: NodeState): boolean {
    const req = ctx.pod.requests.cpuMillis
    return req === 0 || ns.cpuUsed + req <= ns.node.allocatable.cpuMillis
  }
}

export class MemoryChecker implements FeasibilityChecker {
  readonly reason = FilterReason.InsufficientMemory
  applies(ctx: PodContext): boolean {
    return ctx.pod.requests.memoryBytes > 0
  }
  feasible(ctx: PodContext, ns: NodeState): boolean {
    const req = ctx.pod.requests.memoryBytes
    return req === 0 || ns.memUsed + req <= ns.node.allocatable.memoryBytes
  }
}

export class PodCountChecker implements FeasibilityChecker {
  readonly reason = FilterReason.TooManyPods
  applies(): boolean {
    return true
  }
  feasible(_ctx: PodContext, ns: NodeState): boolean {
    const max = ns.node.allocatable.pods
    return max === undefined || ns.podCount < max
  }
}

export class HostPortChecker implements FeasibilityChecker {
  readonly reason = FilterReason.HostPortConflict
  applies(ctx: PodContext): boolean {
    return ctx.ports.length > 0
  }
  feasible(ctx: PodContext, ns: NodeState): boolean {
    return ns.ports.size === 0 || !portConflicts(ns.ports, ctx.ports)
  }
}

/** The pod's own required terms: no matching pod may run in the node's domain. */
export class PodAntiAffinityChecker implements FeasibilityChecker {
  readonly reason = FilterReason.PodAntiAffinity
  applies(ctx: PodContext): boolean {
    return ctx.requiredAnti.length > 0
  }
  feasible(ctx: PodContext, ns: NodeState, state: ClusterState): boolean {
    for (const t of ctx.requiredAnti) {
      const group = state.domain(t.topologyKey).groupOf[ns.index]
      if (group !== undefined && countInGroup(group, t, 1) > 0) return false
    }
    return true
  }
}

/** Placed pods' required terms that match this pod: it may not join their domains. */
export class ExistingAntiAffinityChecker implements FeasibilityChecker {
  readonly reason = FilterReason.ExistingPodAntiAffinity
  applies(ctx: PodContext): boolean {
    return ctx.forbidden.length > 0
  }
  feasible(ctx: PodContext, ns: NodeState): boolean {
    for (const f of ctx.forbidden) {
      const v = topologyValue(ns.node, f.key)
      if (v !== undefined && (f.values.get(v) ?? 0) > 0) return false
    }
    return true
  }
}

/**
 * Filters that read only the node and the pod's spec, never what is placed: their result holds for
 * the whole schedule() call, so it is computed once per pod shape (static-view.ts) and the hot loop
 * never runs them. Booleans first, then taints (usually none), then label matching.
 */
export const STATIC_CHECKERS: readonly FeasibilityChecker[] = [
  new NodeReadyChecker(),
  new NodeSchedulableChecker(),
  new TaintChecker(),
  new NodeSelectorChecker(),
  new NodeAffinityChecker(),
]

/**
 * Filters that read the per-node aggregates, which change with every placement: run per pod per
 * candidate node. Arithmetic first (it rejects most nodes in a full cluster), then the port table,
 * then anti-affinity, which may have to look at a domain's pods.
 */
export const DYNAMIC_CHECKERS: readonly FeasibilityChecker[] = [
  new CpuChecker(),
  new MemoryChecker(),
  new PodCountChecker(),
  new HostPortChecker(),
  new PodAntiAffinityChecker(),
  new ExistingAntiAffinityChecker(),
]

export const ALL_CHECKERS: readonly FeasibilityChecker[] = [...STATIC_CHECKERS, ...DYNAMIC_CHECKERS]
