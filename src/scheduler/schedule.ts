// The scheduler: a pure function from (nodes, placed pods, pending pods) to placements.
// For each pending pod, in order: static filters (cached per pod shape), then the dynamic filters
// on candidate nodes until enough feasible ones are found (sample.ts), then ranking (rank.ts).
// Each placement is accounted for in the cluster state before the next pod is considered.
import { PodContext } from './context.js'
import { DYNAMIC_CHECKERS } from './feasibility.js'
import { Ranker } from './rank.js'
import { emptyCounts, type FilterReason, formatUnschedulable, REASONS } from './reasons.js'
import { numFeasibleNodesToFind } from './sample.js'
import { SparseCountsPool } from './sparse-counts.js'
import { ClusterState, type NodeState } from './state.js'
import { buildStaticView, type StaticView } from './static-view.js'
import type { Placement, ScheduleInput, ScheduleResult, SchedPod, Strategy, Unschedulable } from './types.js'
import { validateInput } from './validate.js'

const DYNAMIC_CODES = DYNAMIC_CHECKERS.map((c) => REASONS.indexOf(c.reason))

export interface SchedulerOptions {
  readonly strategy: Strategy
  readonly seed: number
  /** Feasible nodes to find before ranking; see sample.ts. */
  readonly nodesToFind: number
}

type Selection = { readonly node: NodeState } | { readonly counts: Int32Array }

/** Places pods one at a time on a ClusterState it updates. schedule() is the usual entry point. */
export class Scheduler {
  private readonly views = new Map<string, StaticView>()
  private best = new Float64Array(8)
  private cand = new Float64Array(8)
  private readonly counts = new Int32Array(REASONS.length)
  private readonly pool: SparseCountsPool

  constructor(
    readonly state: ClusterState,
    private readonly opts: SchedulerOptions,
  ) {
    this.pool = new SparseCountsPool(state.nodes.length)
  }

  /** Chooses a node for the pod and accounts for it, or explains why no node fits. */
  schedule(pod: SchedPod): Placement | Unschedulable {
    const ctx = new PodContext(pod, this.state, this.opts.strategy, this.opts.seed, this.pool)
    const sel = this.select(ctx)
    ctx.release()
    if ('node' in sel) {
      this.state.place(pod, sel.node, ctx.labelKeys)
      return { uid: pod.uid, nodeName: sel.node.node.name }
    }
    const counts = emptyCounts()
    sel.counts.forEach((n, code) => (counts[REASONS[code] as FilterReason] = n))
    return { uid: pod.uid, reason: formatUnschedulable(this.state.nodes.length, counts), counts }
  }

  private view(ctx: PodContext): StaticView {
    let v = this.views.get(ctx.staticSignature)
    if (v === undefined) {
      v = buildStaticView(ctx, this.state)
      this.views.set(ctx.staticSignature, v)
    }
    return v
  }

  private select(ctx: PodContext): Selection {
    const view = this.view(ctx)
    const { feasible, softTaints, affinityWeight } = view
    const len = feasible.length
    const checks = DYNAMIC_CHECKERS.filter((c) => c.applies(ctx))
    const codes = checks.map((c) => DYNAMIC_CODES[DYNAMIC_CHECKERS.indexOf(c)]!)
    const counts = this.counts
    counts.set(view.counts)
    const nodes = this.state.nodes
    let ranker: Ranker | undefined
    let best = -1
    let found = 0
    const start = len === 0 ? 0 : ctx.hash % len
    for (let k = 0; k < len; k++) {
      const pos = start + k < len ? start + k : start + k - len
      const node = feasible[pos]!
      let failed = -1
      for (let j = 0; j < checks.length; j++) {
        if (!checks[j]!.feasible(ctx, node, this.state)) {
          failed = j
          break
        }
      }
      if (failed >= 0) {
        counts[codes[failed]!]++
        continue
      }
      ranker ??= this.ranker(ctx)
      const soft = softTaints[pos]!
      const aff = affinityWeight[pos]!
      if (best < 0) ranker.score(node, soft, aff, this.best)
      if (best < 0 || ranker.beats(node, soft, aff, this.best, this.cand)) {
        if (best >= 0) {
          const t = this.best
          this.best = this.cand
          this.cand = t
        }
        best = node
      }
      if (++found >= this.opts.nodesToFind) break
    }
    return best >= 0 ? { node: nodes[best]! } : { counts: Int32Array.from(counts) }
  }

  private ranker(ctx: PodContext): Ranker {
    const r = new Ranker(ctx, this.state)
    if (this.best.length < r.width) {
      this.best = new Float64Array(r.width)
      this.cand = new Float64Array(r.width)
    }
    return r
  }
}

/**
 * Places the pending pods, in order, on the nodes. Pure: no I/O, no clock, no Math.random; the
 * same input gives the same output, whatever the order of `nodes`. Placed pods on nodes that are
 * not listed are ignored.
 */
export function schedule(input: ScheduleInput): ScheduleResult {
  validateInput(input)
  const state = new ClusterState(input.nodes)
  for (const p of input.placed) {
    const ns = state.nodeByName(p.nodeName)
    if (ns !== undefined) state.place(p, ns)
  }
  const scheduler = new Scheduler(state, {
    strategy: input.strategy ?? 'spread',
    seed: input.seed ?? 0,
    nodesToFind: numFeasibleNodesToFind(state.nodes.length, input.options?.percentageOfNodesToScore),
  })
  const placements: Placement[] = []
  const unschedulable: Unschedulable[] = []
  for (const pod of input.pending) {
    const r = scheduler.schedule(pod)
    if ('nodeName' in r) placements.push(r)
    else unschedulable.push(r)
  }
  return { placements, unschedulable }
}
