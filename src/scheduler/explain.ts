// Why a pod would (not) go to each node, for `agent describe pod`. Unlike schedule(), every filter
// runs on every node, so a node lists all the reasons it fails, and every feasible node is ranked.
import { PodContext } from './context.js'
import { ALL_CHECKERS } from './feasibility.js'
import { compareScores, Ranker } from './rank.js'
import { emptyCounts, type FilterReason, formatUnschedulable, REASON_TEXT } from './reasons.js'
import { ClusterState, type NodeState } from './state.js'
import { preferredAffinityWeight } from './static-view.js'
import { untoleratedSoftTaints } from './taints.js'
import type { PlacedPod, SchedNode, SchedPod, Strategy } from './types.js'
import { validateInput } from './validate.js'

export interface NodeVerdict {
  readonly nodeName: string
  /** Every filter the node fails, in filter order; empty when the pod fits. */
  readonly reasons: readonly { readonly reason: FilterReason; readonly text: string }[]
  /** Score tiers (see rank.ts) when the pod fits; compared lexicographically, higher first. */
  readonly score?: readonly number[]
}

export interface PodExplanation {
  readonly uid: string
  readonly totalNodes: number
  readonly feasibleNodes: number
  /** '2/3 nodes available', or the Kubernetes-style message of schedule() when none is. */
  readonly summary: string
  /** Feasible nodes first, best first; then the rejected ones by name. */
  readonly nodes: readonly NodeVerdict[]
}

export interface ExplainInput {
  readonly nodes: readonly SchedNode[]
  readonly placed: readonly PlacedPod[]
  readonly pod: SchedPod
  readonly strategy?: Strategy
  readonly seed?: number
}

function verdict(ctx: PodContext, ns: NodeState, state: ClusterState): NodeVerdict['reasons'] {
  return ALL_CHECKERS.filter((c) => c.applies(ctx) && !c.feasible(ctx, ns.index, state)).map((c) => ({
    reason: c.reason,
    text: REASON_TEXT[c.reason],
  }))
}

export function explainPod(input: ExplainInput): PodExplanation {
  validateInput({ nodes: input.nodes, placed: input.placed, pending: [input.pod] })
  const state = new ClusterState(input.nodes)
  for (const p of input.placed) {
    const ns = state.nodeByName(p.nodeName)
    if (ns !== undefined) state.place(p, ns)
  }
  const ctx = new PodContext(input.pod, state, input.strategy ?? 'spread', input.seed ?? 0)
  const ranker = new Ranker(ctx, state)
  const counts = emptyCounts()
  const fits: { v: NodeVerdict; s: Float64Array }[] = []
  const rejected: NodeVerdict[] = []
  for (const ns of state.nodes) {
    const reasons = verdict(ctx, ns, state)
    const first = reasons[0]
    if (first !== undefined) {
      counts[first.reason]++
      rejected.push({ nodeName: ns.node.name, reasons })
      continue
    }
    const s = new Float64Array(ranker.width)
    const soft = untoleratedSoftTaints(ns.node.taints, input.pod.tolerations)
    ranker.score(ns.index, soft, preferredAffinityWeight(input.pod, ns), s)
    fits.push({ v: { nodeName: ns.node.name, reasons, score: [...s] }, s })
  }
  fits.sort((a, b) => compareScores(b.s, a.s, ranker.width))
  const total = state.nodes.length
  return {
    uid: input.pod.uid,
    totalNodes: total,
    feasibleNodes: fits.length,
    summary: fits.length > 0 ? `${fits.length}/${total} nodes available` : formatUnschedulable(total, counts),
    nodes: [...fits.map((f) => f.v), ...rejected],
  }
}
