// sync(schedule): one scheduling round over every pending pod, written as one batch: bindings
// (spec.nodeName, PodScheduled True) and, for pods that fit nowhere, PodScheduled False with the reason
// (written again only when the reason changes).
import type { PutOp } from '../state/commands.js'
import { replaceOp, type ControllerContext } from './context.js'
import { rec } from './objects.js'
import { scheduledStatus, unschedulableStatus } from './pod-status.js'
import { planScheduling } from './schedule-plan.js'

export async function syncSchedule(ctx: ControllerContext): Promise<void> {
  const plan = planScheduling(ctx.store.list('Node'), ctx.store.list('Pod'), ctx.appliedIndex())
  const time = ctx.now().toISOString()
  const ops: PutOp[] = []
  for (const b of plan.bind) {
    const o = b.pod.object
    ops.push(replaceOp(b.pod, { ...o, spec: { ...rec(o.spec), nodeName: b.nodeName }, status: scheduledStatus(rec(o.status), b.nodeName, time) }))
  }
  for (const u of plan.unschedulable) {
    const status = unschedulableStatus(rec(u.pod.object.status), u.message, time)
    if (status) ops.push(replaceOp(u.pod, { ...u.pod.object, status }))
  }
  if (ops.length === 0) return
  if (plan.bind.length) ctx.log.debug({ bound: plan.bind.map((b) => `${b.pod.name}→${b.nodeName}`) }, `scheduled ${plan.bind.length} pod(s)`)
  await ctx.write(ops, 'scheduling round')
}
