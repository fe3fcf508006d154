// Pod status from what the supervisors observed: phase as the kubelet computes it (getPhase), the
// conditions with their transition times kept from the previous status, the container statuses as given.
import type { RestartPolicy } from '../resources/index.js'
import { iso } from './clock.js'
import type { ContainerStatus, PodCondition, PodPhase, PodStatus } from './types.js'

export interface PodObservation {
  readonly restartPolicy: RestartPolicy
  readonly containers: readonly ContainerStatus[]
  readonly podIP?: string
  readonly hostIP?: string
  readonly startTime?: number
  /** A pod-level problem (e.g. the sandbox could not be made); absent when there is none. */
  readonly reason?: string
  readonly message?: string
}

/**
 * Kubernetes' rules: a container waiting that never ran keeps the pod Pending; any running container
 * makes it Running; when all have stopped, Always means Running (they come back), all exit 0 means
 * Succeeded, Never means Failed, OnFailure means Running (the failed ones come back).
 */
export function podPhase (policy: RestartPolicy, containers: readonly ContainerStatus[]): PodPhase {
  let waiting = 0
  let running = 0
  let stopped = 0
  let succeeded = 0
  for (const c of containers) {
    const s = c.state
    if ('running' in s) running++
    else if ('terminated' in s) {
      stopped++
      if (s.terminated.exitCode === 0) succeeded++
    } else if (c.lastState !== undefined && 'terminated' in c.lastState) stopped++
    else waiting++
  }
  if (containers.length === 0 || waiting > 0) return 'Pending'
  if (running > 0) return 'Running'
  if (policy === 'Always') return 'Running'
  if (stopped === succeeded) return 'Succeeded'
  if (policy === 'Never') return 'Failed'
  return 'Running'
}

function condition (type: PodCondition['type'], ok: boolean, now: number, previous: PodStatus | undefined, reason?: string): PodCondition {
  const status = ok ? 'True' : 'False'
  const before = previous?.conditions.find(c => c.type === type)
  const lastTransitionTime = before !== undefined && before.status === status ? before.lastTransitionTime : iso(now)
  return reason === undefined || ok ? { type, status, lastTransitionTime } : { type, status, reason, lastTransitionTime }
}

export function buildPodStatus (obs: PodObservation, previous: PodStatus | undefined, now: number): PodStatus {
  const phase = podPhase(obs.restartPolicy, obs.containers)
  const notReady = obs.containers.filter(c => !c.ready).map(c => c.name)
  const ready = notReady.length === 0 && phase === 'Running'
  const why = phase === 'Succeeded' || phase === 'Failed' ? 'PodCompleted' : 'ContainersNotReady'
  const conditions: PodCondition[] = [
    condition('PodScheduled', true, now, previous),
    condition('Initialized', true, now, previous),
    condition('ContainersReady', ready, now, previous, why),
    condition('Ready', ready, now, previous, why),
  ]
  return {
    phase,
    conditions,
    containerStatuses: obs.containers,
    ...(obs.podIP !== undefined ? { podIP: obs.podIP } : {}),
    ...(obs.hostIP !== undefined ? { hostIP: obs.hostIP } : {}),
    ...(obs.startTime !== undefined ? { startTime: iso(obs.startTime) } : {}),
    ...(obs.reason !== undefined ? { reason: obs.reason } : {}),
    ...(obs.message !== undefined ? { message: obs.message } : {}),
  }
}

/** Structural equality of two statuses (key order as built here), to report only real changes. */
export function sameStatus (a: PodStatus | undefined, b: PodStatus): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b)
}
