// The Deployment controller's decision, as a pure diff (Nomad's reconcile: observed and desired state
// in, {create, remove, recover} out; applying it is the manager's job). No clock, no I/O.
//
// A pod of the deployment is, in order of the checks:
//   - terminal (Failed or Succeeded): removed, and so replaced (restartPolicy is Always);
//   - lost (its node turned NotReady): not counted, so a replacement is created elsewhere; kept while
//     the node stays NotReady; once the node is Ready again it is recovered if the deployment is still
//     short of replicas, removed otherwise ("replaced"); removed when its Node object is gone;
//   - evicting (chosen by a drain): not counted either, so its replacement starts before it goes;
//   - active: counted toward replicas, of the current template revision or an old one.
import { TEMPLATE_HASH_LABEL } from './objects.js'

export interface ReplicaView {
  readonly name: string
  readonly templateHash: string
  readonly nodeName?: string
  readonly phase: string
  readonly ready: boolean
  readonly lost: boolean
  readonly evicting: boolean
  /** ISO creation time; ties broken by name. */
  readonly created: string
}

export interface DeploymentView {
  readonly replicas: number
  readonly templateHash: string
  readonly strategy: 'RollingUpdate' | 'Recreate'
  /** Resolved counts (see rolloutLimits). */
  readonly maxSurge: number
  readonly maxUnavailable: number
}

export type NodeHealth = 'Ready' | 'NotReady' | 'Absent'

export interface DeploymentInput {
  readonly deployment: DeploymentView
  readonly pods: readonly ReplicaView[]
  readonly nodeHealth: (nodeName: string) => NodeHealth
}

export type RemoveReason = 'failed' | 'surplus' | 'replaced' | 'outdated' | 'nodeGone'

export interface DeploymentPlan {
  /** New pods of the current template to create. */
  readonly create: number
  readonly remove: readonly { readonly name: string; readonly reason: RemoveReason }[]
  /** Lost pods whose node came back and that still count: their lost mark is cleared. */
  readonly recover: readonly string[]
}

/**
 * maxSurge rounds up and maxUnavailable down, as in Kubernetes; both zero would stall a rollout, so
 * maxUnavailable becomes 1. Example: 6 replicas at 25%/25% give surge ceil(1.5) = 2, unavailable floor(1.5) = 1.
 */
export function rolloutLimits(replicas: number, maxSurge: number | string | undefined, maxUnavailable: number | string | undefined): { maxSurge: number; maxUnavailable: number } {
  const resolve = (v: number | string | undefined, up: boolean) => {
    if (typeof v === 'number') return v
    const pct = Number(String(v ?? '25%').replace('%', '')) / 100
    return up ? Math.ceil(pct * replicas) : Math.floor(pct * replicas)
  }
  const surge = resolve(maxSurge, true)
  const unavailable = resolve(maxUnavailable, false)
  return { maxSurge: surge, maxUnavailable: surge === 0 && unavailable === 0 ? 1 : unavailable }
}

/** Which surplus pods go first: unscheduled, then not ready, then the newest (Kubernetes' ActivePods order, newest first). */
export function removalOrder(a: ReplicaView, b: ReplicaView): number {
  const unscheduled = Number(b.nodeName === undefined) - Number(a.nodeName === undefined)
  if (unscheduled !== 0) return unscheduled
  const unready = Number(a.ready) - Number(b.ready)
  if (unready !== 0) return unready
  return a.created !== b.created ? (a.created < b.created ? 1 : -1) : a.name < b.name ? 1 : a.name > b.name ? -1 : 0
}

export function planDeployment(input: DeploymentInput): DeploymentPlan {
  const { deployment: d, nodeHealth } = input
  const remove: { name: string; reason: RemoveReason }[] = []
  const active: ReplicaView[] = []
  const returning: ReplicaView[] = []
  let evictingReady = 0
  let evicting = 0
  for (const p of input.pods) {
    if (p.phase === 'Failed' || p.phase === 'Succeeded') remove.push({ name: p.name, reason: 'failed' })
    else if (p.lost) {
      const health = p.nodeName === undefined ? 'Absent' : nodeHealth(p.nodeName)
      if (health === 'Absent') remove.push({ name: p.name, reason: 'nodeGone' })
      else if (health === 'Ready') returning.push(p)
    } else if (p.evicting) {
      evicting++
      if (p.ready) evictingReady++
    } else active.push(p)
  }
  // A returning pod is still running on its node: keep it if it is needed, so nothing restarts.
  const recover: string[] = []
  for (const p of [...returning].sort((a, b) => -removalOrder(a, b))) {
    if (active.length < d.replicas) {
      recover.push(p.name)
      active.push({ ...p, lost: false })
    } else remove.push({ name: p.name, reason: 'replaced' })
  }
  const current = active.filter((p) => p.templateHash === d.templateHash)
  const old = active.filter((p) => p.templateHash !== d.templateHash)
  if (old.length === 0) return { ...scale(d.replicas, current, remove), recover }
  if (d.strategy === 'Recreate') {
    for (const p of old) remove.push({ name: p.name, reason: 'outdated' })
    // Nothing new starts while an old pod may still run.
    return { create: 0, remove, recover }
  }
  return { ...rollingStep(d, current, old, evicting, evictingReady, remove), recover }
}

function scale(replicas: number, current: readonly ReplicaView[], remove: { name: string; reason: RemoveReason }[]) {
  if (current.length > replicas) {
    for (const p of [...current].sort(removalOrder).slice(0, current.length - replicas)) remove.push({ name: p.name, reason: 'surplus' })
  }
  return { create: Math.max(0, replicas - current.length), remove }
}

/**
 * One step of a rolling update. Example, 4 replicas, maxSurge 1, maxUnavailable 1, 4 old ready pods:
 * total may reach 5, so 1 new pod is created; at least 3 must stay ready, so 1 old pod is removed.
 * Next steps repeat as new pods turn ready, until no old pod is left.
 */
function rollingStep(d: DeploymentView, current: readonly ReplicaView[], old: readonly ReplicaView[], evicting: number, evictingReady: number, remove: { name: string; reason: RemoveReason }[]) {
  if (current.length > d.replicas) {
    for (const p of [...current].sort(removalOrder).slice(0, current.length - d.replicas)) remove.push({ name: p.name, reason: 'surplus' })
  }
  const keptCurrent = Math.min(current.length, d.replicas)
  const total = keptCurrent + old.length + evicting
  const create = Math.max(0, Math.min(d.replicas - keptCurrent, d.replicas + d.maxSurge - total))
  const minAvailable = d.replicas - d.maxUnavailable
  const keptReady = [...current].sort(removalOrder).slice(current.length - keptCurrent).filter((p) => p.ready).length
  let ready = keptReady + old.filter((p) => p.ready).length + evictingReady
  // Old pods that are not ready cost no availability; ready ones go while enough others stay ready.
  for (const p of [...old].sort(removalOrder)) {
    if (!p.ready) remove.push({ name: p.name, reason: 'outdated' })
    else if (ready - 1 >= minAvailable) {
      remove.push({ name: p.name, reason: 'outdated' })
      ready--
    }
  }
  return { create, remove }
}

/** The template hash a pod carries (pods made before a template change keep the old one). */
export function podTemplateHash(labels: Readonly<Record<string, string>>): string {
  return labels[TEMPLATE_HASH_LABEL] ?? ''
}
