// Pod status reports from the agents, held on the leader until the next write: the latest report per
// pod wins, and all of them go into one Raft entry (never one entry per probe).
import type { PodStatus } from '../runtime/types.js'
import { replaceOp, type ControllerContext } from './context.js'
import { isLost, podNodeName, rec } from './objects.js'
import { mergeReported, reportDiffers } from './pod-status.js'

export interface PodReport {
  readonly namespace: string
  readonly name: string
  readonly uid: string
  readonly status: PodStatus
}

export class StatusIntake {
  private pending = new Map<string, { node: string; report: PodReport }>()

  add(node: string, reports: readonly PodReport[]): void {
    for (const r of reports) this.pending.set(r.uid, { node, report: r })
  }

  clear(): void {
    this.pending.clear()
  }

  /** Writes every report that still applies: the pod exists, is bound to the reporting node and not marked lost. */
  async flush(ctx: ControllerContext): Promise<void> {
    const batch = this.pending
    this.pending = new Map()
    const ops = []
    for (const [uid, { node, report }] of batch) {
      const pod = ctx.store.get({ kind: 'Pod', namespace: report.namespace, name: report.name })
      if (!pod || pod.uid !== uid || podNodeName(pod) !== node || isLost(pod)) continue
      const stored = rec(pod.object.status)
      if (!reportDiffers(stored, report.status)) continue
      ops.push(replaceOp(pod, { ...pod.object, status: mergeReported(stored, report.status) }))
    }
    if (ops.length === 0) return
    try {
      await ctx.write(ops, `status of ${ops.length} pod(s)`)
    } catch (err) {
      // Keep what was not superseded meanwhile; the retry rebuilds the ops from the state then.
      for (const [uid, e] of batch) if (!this.pending.has(uid)) this.pending.set(uid, e)
      throw err
    }
  }
}
