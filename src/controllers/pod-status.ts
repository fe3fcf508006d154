// The pod status fields the cluster writes, in one place: what the runtime reports (merged with the
// scheduler's PodScheduled condition), the scheduler's verdicts, and the node controller's lost mark.
import type { PodStatus } from '../runtime/types.js'
import { canonicalJson } from '../state/canonical.js'
import { arr, NODE_LOST, type Json } from './objects.js'

type Condition = Json & { type?: unknown }

function withCondition(conditions: readonly Condition[], c: Condition): Condition[] {
  return [...conditions.filter((x) => x.type !== c.type), c].sort((a, b) => (String(a.type) < String(b.type) ? -1 : 1))
}

/** The stored status after a runtime report: the report, plus the scheduler's conditions the runtime does not set. */
export function mergeReported(stored: Json, reported: PodStatus): Json {
  const own = new Set(reported.conditions.map((c) => c.type))
  const kept = arr(stored.conditions).filter((c) => !own.has(c.type as PodStatus['conditions'][number]['type']))
  const conditions = [...kept, ...reported.conditions].sort((a, b) => (String(a.type) < String(b.type) ? -1 : 1))
  return { ...(reported as unknown as Json), conditions }
}

/** Whether a report would change the stored status (the agent sends only these). */
export function reportDiffers(stored: Json, reported: PodStatus): boolean {
  return canonicalJson(mergeReported(stored, reported)) !== canonicalJson(stored)
}

/** Bound by the scheduler: PodScheduled True. `time` only changes when the condition does. */
export function scheduledStatus(stored: Json, nodeName: string, time: string): Json {
  const c = { type: 'PodScheduled', status: 'True', lastTransitionTime: time, message: `assigned to ${nodeName}` }
  return { ...stored, phase: stored.phase ?? 'Pending', conditions: withCondition(arr(stored.conditions), c) }
}

/** PodScheduled False with the scheduler's `0/3 nodes available: …`; undefined when that is already stored. */
export function unschedulableStatus(stored: Json, message: string, time: string): Json | undefined {
  const prev = arr(stored.conditions).find((c) => c.type === 'PodScheduled')
  if (prev?.status === 'False' && prev.message === message) return undefined
  const since = prev?.status === 'False' && typeof prev.lastTransitionTime === 'string' ? prev.lastTransitionTime : time
  const c = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastTransitionTime: since }
  return { ...stored, phase: 'Pending', conditions: withCondition(arr(stored.conditions), c) }
}

/** The node stopped answering: phase Unknown, reason NodeLost, not Ready (Kubernetes' node controller does the same). */
export function lostStatus(stored: Json, nodeName: string, time: string): Json {
  const message = `node ${nodeName} is not ready: the pod may or may not still run there`
  const ready = { type: 'Ready', status: 'False', reason: NODE_LOST, message, lastTransitionTime: time }
  return { ...stored, phase: 'Unknown', reason: NODE_LOST, message, conditions: withCondition(arr(stored.conditions), ready) }
}

/** Its node came back: the lost mark goes, and the agent's next report fills the rest in. */
export function recoveredStatus(stored: Json): Json {
  const { reason: _r, message: _m, ...rest } = stored
  return { ...rest, phase: 'Pending', conditions: arr(stored.conditions).filter((c) => c.type === 'PodScheduled') }
}
