// A Deployment's status and rollout conditions, pure (Kubernetes' syncRolloutStatus): the counts over
// its pods, Available (at least replicas - maxUnavailable available pods) and Progressing:
//   - Unknown DeploymentPaused while paused (no deadline runs), True DeploymentResumed once resumed;
//   - True NewReplicaSetCreated when a template change makes a new revision (the recorder sets it);
//   - True ReplicaSetUpdated whenever the rollout moved: more updated, ready or available pods, or fewer old ones;
//   - True NewReplicaSetAvailable once complete: every replica updated and available, no old pod left;
//     it stays so while every live pod is of the current template, however many are available;
//   - False ProgressDeadlineExceeded when nothing moved for progressDeadlineSeconds since the last of these.
// lastUpdateTime changes only with progress, so an unchanged rollout writes no new status.
import { isAvailable, type DeploymentView, type ReplicaView } from './deployment-plan.js'
import { arr, rec, type Json } from './objects.js'

export type ConditionStatus = 'True' | 'False' | 'Unknown'

export interface Condition {
  readonly type: 'Available' | 'Progressing'
  readonly status: ConditionStatus
  readonly reason: string
  readonly message: string
  readonly lastUpdateTime: string
  readonly lastTransitionTime: string
}

export interface PodCounts {
  /** Live pods: not lost, not finished, not terminating. */
  readonly replicas: number
  readonly updatedReplicas: number
  readonly readyReplicas: number
  readonly availableReplicas: number
  readonly unavailableReplicas: number
  /** Updated pods that are available. */
  readonly updatedAvailable: number
}

export const PROGRESS = {
  created: 'NewReplicaSetCreated',
  updated: 'ReplicaSetUpdated',
  complete: 'NewReplicaSetAvailable',
  deadline: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  rolledBack: 'RolledBack',
} as const

export function countPods(d: DeploymentView, pods: readonly ReplicaView[], now: number): PodCounts {
  const live = pods.filter((p) => !p.lost && p.deleteAt === undefined && p.phase !== 'Failed' && p.phase !== 'Succeeded')
  const available = live.filter((p) => isAvailable(p, d.minReadySeconds, now))
  return {
    replicas: live.length,
    updatedReplicas: live.filter((p) => p.templateHash === d.templateHash).length,
    readyReplicas: live.filter((p) => p.ready).length,
    availableReplicas: available.length,
    unavailableReplicas: Math.max(0, d.replicas - available.length),
    updatedAvailable: available.filter((p) => p.templateHash === d.templateHash).length,
  }
}

/** Kubernetes' DeploymentComplete: every replica of the current template and available, nothing else left. */
export function isComplete(d: DeploymentView, c: PodCounts): boolean {
  return c.updatedReplicas === d.replicas && c.replicas === d.replicas && c.updatedAvailable === d.replicas
}

/** Kubernetes' DeploymentProgressing: did the rollout move since the stored counts? */
export function hasProgressed(prev: Json, c: PodCounts): boolean {
  const n = (k: string) => (typeof prev[k] === 'number' ? (prev[k] as number) : 0)
  const oldBefore = n('replicas') - n('updatedReplicas')
  const oldNow = c.replicas - c.updatedReplicas
  return c.updatedReplicas > n('updatedReplicas') || oldNow < oldBefore || c.readyReplicas > n('readyReplicas') || c.availableReplicas > n('availableReplicas')
}

export function conditionOf(status: Json, type: Condition['type']): Condition | undefined {
  const c = arr(status.conditions).find((x) => x.type === type)
  if (!c || typeof c.status !== 'string') return undefined
  const s = c.status === 'True' || c.status === 'False' ? c.status : 'Unknown'
  const str = (v: unknown) => (typeof v === 'string' ? v : '')
  return { type, status: s, reason: str(c.reason), message: str(c.message), lastUpdateTime: str(c.lastUpdateTime), lastTransitionTime: str(c.lastTransitionTime) }
}

/** A condition; timestamps move only when something about it changes. */
export function setCondition(prev: Condition | undefined, next: Omit<Condition, 'lastUpdateTime' | 'lastTransitionTime'>, now: string, touch: boolean): Condition {
  const same = prev !== undefined && prev.status === next.status && prev.reason === next.reason && prev.message === next.message
  const lastTransitionTime = prev !== undefined && prev.status === next.status ? prev.lastTransitionTime : now
  const lastUpdateTime = same && !touch ? prev.lastUpdateTime : now
  return { ...next, lastUpdateTime, lastTransitionTime }
}

export interface ProgressFacts {
  readonly deployment: DeploymentView
  readonly revision: number
  readonly progressDeadlineSeconds: number
  readonly counts: PodCounts
  /** The stored status (previous counts and conditions). */
  readonly stored: Json
  readonly now: Date
}

/** The Progressing condition now (see the header). */
export function progressing(f: ProgressFacts): Condition {
  const now = f.now.toISOString()
  const prev = conditionOf(f.stored, 'Progressing')
  const rev = `revision ${f.revision}`
  if (f.deployment.paused) {
    if (prev?.reason === PROGRESS.paused) return prev
    return setCondition(prev, { type: 'Progressing', status: 'Unknown', reason: PROGRESS.paused, message: 'Deployment is paused' }, now, true)
  }
  if (isComplete(f.deployment, f.counts)) {
    return setCondition(prev, { type: 'Progressing', status: 'True', reason: PROGRESS.complete, message: `${rev} has successfully progressed` }, now, false)
  }
  // Kubernetes' isCompleteDeployment: once a rollout completed and no old pod is left, a pod lost or unready
  // later is the replica count's business (Available), not a rollout that stalled: no deadline runs.
  if (prev?.reason === PROGRESS.complete && f.counts.replicas === f.counts.updatedReplicas) return prev
  if (prev?.reason === PROGRESS.paused) {
    return setCondition(prev, { type: 'Progressing', status: 'True', reason: PROGRESS.resumed, message: 'Deployment is resumed' }, now, true)
  }
  if (hasProgressed(f.stored, f.counts) || prev === undefined) {
    return setCondition(prev, { type: 'Progressing', status: 'True', reason: PROGRESS.updated, message: `${rev} is progressing` }, now, true)
  }
  if (prev.status !== 'False' && deadlinePassed(prev, f.progressDeadlineSeconds, f.now.getTime())) {
    const message = `${rev} has timed out progressing: no progress for ${f.progressDeadlineSeconds} s`
    return setCondition(prev, { type: 'Progressing', status: 'False', reason: PROGRESS.deadline, message }, now, true)
  }
  return prev
}

export function deadlinePassed(c: Condition, deadlineSeconds: number, now: number): boolean {
  const since = Date.parse(c.lastUpdateTime)
  return Number.isFinite(since) && since + deadlineSeconds * 1000 < now
}

/** When the deadline of a running rollout will pass (ms since the epoch), so the controller looks then. */
export function deadlineAt(c: Condition | undefined, deadlineSeconds: number): number | undefined {
  if (c === undefined || c.status !== 'True' || c.reason === PROGRESS.complete) return undefined
  const since = Date.parse(c.lastUpdateTime)
  return Number.isFinite(since) ? since + deadlineSeconds * 1000 + 1 : undefined
}

export function available(d: DeploymentView, counts: PodCounts, stored: Json, now: string): Condition {
  const ok = counts.availableReplicas >= d.replicas - d.maxUnavailable
  const next = ok
    ? { type: 'Available' as const, status: 'True' as const, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
    : { type: 'Available' as const, status: 'False' as const, reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }
  return setCondition(conditionOf(stored, 'Available'), next, now, false)
}

/** The status's counts, as Kubernetes reports them. */
export function countFields(generation: number, c: PodCounts): Json {
  return {
    observedGeneration: generation,
    replicas: c.replicas,
    updatedReplicas: c.updatedReplicas,
    readyReplicas: c.readyReplicas,
    availableReplicas: c.availableReplicas,
    unavailableReplicas: c.unavailableReplicas,
  }
}

export function storedStatus(o: { object: Record<string, unknown> }): Json {
  return rec(o.object.status)
}
