// The scheduling round, pure: every pending pod (no node yet) in creation order through the scheduler
// (src/scheduler) against the nodes and the pods already placed.
import { schedule } from '../scheduler/index.js'
import type { StoredObject } from '../state/store.js'
import { isTerminal, podNodeName } from './objects.js'
import { schedNode, schedPod } from './sched-adapter.js'

export interface SchedulingPlan {
  readonly bind: readonly { readonly pod: StoredObject; readonly nodeName: string }[]
  readonly unschedulable: readonly { readonly pod: StoredObject; readonly message: string }[]
}

function byCreation(a: StoredObject, b: StoredObject): number {
  if (a.creationTimestamp !== b.creationTimestamp) return a.creationTimestamp < b.creationTimestamp ? -1 : 1
  return a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : 1
}

export function pendingPods(pods: readonly StoredObject[]): StoredObject[] {
  return pods.filter((p) => podNodeName(p) === undefined && !isTerminal(p)).sort(byCreation)
}

export function planScheduling(nodes: readonly StoredObject[], pods: readonly StoredObject[], seed: number): SchedulingPlan {
  const pending = pendingPods(pods)
  if (pending.length === 0) return { bind: [], unschedulable: [] }
  const placed = pods.flatMap((p) => {
    const nodeName = podNodeName(p)
    return nodeName !== undefined && !isTerminal(p) ? [{ ...schedPod(p), nodeName }] : []
  })
  const result = schedule({ nodes: nodes.map(schedNode), placed, pending: pending.map(schedPod), seed })
  const byUid = new Map(pending.map((p) => [p.uid, p]))
  return {
    bind: result.placements.map((pl) => ({ pod: byUid.get(pl.uid)!, nodeName: pl.nodeName })),
    unschedulable: result.unschedulable.map((u) => ({ pod: byUid.get(u.uid)!, message: u.reason })),
  }
}
