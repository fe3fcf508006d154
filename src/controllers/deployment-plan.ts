// The Deployment controller's decision, as a pure diff (Nomad's reconcile: observed and desired state
// in, {create, remove, recover} out; applying it is the manager's job). No clock, no I/O.
//
// A pod of the deployment is, in order of the checks:
//   - terminal (Failed or Succeeded): removed, and so replaced (restartPolicy is Always);
//   - lost (its node turned NotReady): not counted, so a replacement is created elsewhere; kept while
//     the node stays NotReady; once the node is Ready again it is recovered if the deployment is still
//     short of replicas, removed otherwise ("replaced"); removed when its Node object is gone;
//   - terminating (marked for removal, out of every Service's endpoints): not counted; deleted once its
//     deleteAt has passed, so that no agent still routes new connections to it when it stops;
//   - evicting (chosen by a drain): not counted either, so its replacement starts before it goes;
//   - active: counted toward replicas, of the current template revision or an old one. An active pod is
//     available once it has been Ready for minReadySeconds; availability, not readiness, is what
//     maxUnavailable protects and what lets a rolling update go on.
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
  /** When its Ready condition last turned True (ms since the epoch); absent when unknown. */
  readonly readySince?: number
  /** Terminating: the time (ms) from which it may be deleted. */
  readonly deleteAt?: number
}

export interface DeploymentView {
  readonly replicas: number
  readonly templateHash: string
  readonly strategy: 'RollingUpdate' | 'Recreate'
  /** Resolved counts (see rolloutLimits). */
  readonly maxSurge: number
  readonly maxUnavailable: number
  readonly minReadySeconds: number
  /** No rolling-update step while paused: only the pod count is kept. */
  readonly paused: boolean
}

export type NodeHealth = 'Ready' | 'NotReady' | 'Absent'

export interface DeploymentInput {
  readonly deployment: DeploymentView
  readonly pods: readonly ReplicaView[]
  readonly nodeHealth: (nodeName: string) => NodeHealth
  /** The leader's clock (ms since the epoch): availability and termination deadlines are judged against it. */
  readonly now: number
}

export type RemoveReason = 'failed' | 'surplus' | 'replaced' | 'outdated' | 'nodeGone' | 'terminated'

export interface DeploymentPlan {
  /** New pods of the current template to create. */
  readonly create: number
  readonly remove: readonly { readonly name: string; readonly reason: RemoveReason }[]
  /** Lost pods whose node came back and that still count: their lost mark is cleared. */
  readonly recover: readonly string[]
  /** When the plan may change with no event (a pod turning available, a terminating pod due): ms since the epoch. */
  readonly wakeAt?: number
}

/**
 * How a pod chosen for removal goes. A running pod may be in a Service's endpoints on any agent: it is
 * first marked terminating (every agent drops it from rotation when it applies that entry) and deleted
 * `drainMs` later, so no new connection reaches it once it stops. Any other pod is deleted at once.
 */
export function removalKind(p: ReplicaView): 'drain' | 'delete' {
  return p.phase === 'Running' && !p.lost && p.deleteAt === undefined ? 'drain' : 'delete'
}

/** Ready for minReadySeconds at `now`. */
export function isAvailable(p: ReplicaView, minReadySeconds: number, now: number): boolean {
  return p.ready && (p.readySince === undefined || p.readySince + minReadySeconds * 1000 <= now)
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
  const { deployment: d, nodeHealth, now } = input
  const remove: { name: string; reason: RemoveReason }[] = []
  const active: ReplicaView[] = []
  const returning: ReplicaView[] = []
  const wake = new Wake()
  let evictingAvailable = 0
  let evicting = 0
  let terminatingOld = 0
  for (const p of input.pods) {
    if (p.deleteAt !== undefined) {
      if (p.deleteAt <= now) remove.push({ name: p.name, reason: 'terminated' })
      else wake.at(p.deleteAt)
      if (p.templateHash !== d.templateHash) terminatingOld++
    } else if (p.phase === 'Failed' || p.phase === 'Succeeded') remove.push({ name: p.name, reason: 'failed' })
    else if (p.lost) {
      const health = p.nodeName === undefined ? 'Absent' : nodeHealth(p.nodeName)
      if (health === 'Absent') remove.push({ name: p.name, reason: 'nodeGone' })
      else if (health === 'Ready') returning.push(p)
    } else if (p.evicting) {
      evicting++
      if (isAvailable(p, d.minReadySeconds, now)) evictingAvailable++
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
  for (const p of active) if (p.ready && p.readySince !== undefined && !isAvailable(p, d.minReadySeconds, now)) wake.at(p.readySince + d.minReadySeconds * 1000)
  const current = active.filter((p) => p.templateHash === d.templateHash)
  const old = active.filter((p) => p.templateHash !== d.templateHash)
  const done = (plan: { create: number; remove: { name: string; reason: RemoveReason }[] }): DeploymentPlan => ({ ...plan, recover, ...wake.value() })
  if (d.paused && old.length > 0) return done(scale(d.replicas, active, remove))
  if (d.strategy === 'Recreate' && old.length + terminatingOld > 0) {
    for (const p of old) remove.push({ name: p.name, reason: 'outdated' })
    // Nothing new starts while an old pod may still run, terminating ones included.
    return done({ create: 0, remove })
  }
  if (old.length === 0) return done(scale(d.replicas, current, remove))
  const available = (p: ReplicaView) => isAvailable(p, d.minReadySeconds, now)
  return done(rollingStep(d, current, old, { evicting, evictingAvailable }, available, remove))
}

/** The earliest time the plan should be made again. */
class Wake {
  private t: number | undefined
  at(t: number): void {
    if (this.t === undefined || t < this.t) this.t = t
  }
  value(): { wakeAt?: number } {
    return this.t === undefined ? {} : { wakeAt: this.t }
  }
}

function scale(replicas: number, pods: readonly ReplicaView[], remove: { name: string; reason: RemoveReason }[]) {
  if (pods.length > replicas) {
    for (const p of [...pods].sort(removalOrder).slice(0, pods.length - replicas)) remove.push({ name: p.name, reason: 'surplus' })
  }
  return { create: Math.max(0, replicas - pods.length), remove }
}

/**
 * One step of a rolling update. Example, 4 replicas, maxSurge 1, maxUnavailable 1, 4 old available pods:
 * at least 3 must stay available, so 1 old pod is removed; the total may then reach 5 with 3 old pods
 * left, so 2 new pods are created. Next steps repeat as new pods turn available, until no old pod is
 * left. Example, 10 replicas, maxSurge 2, maxUnavailable 0: 2 new pods start; once both are available,
 * 2 old pods go and 2 more new ones start, in the same step.
 * Terminating pods count neither toward the total nor toward availability (they are out of rotation).
 */
function rollingStep(
  d: DeploymentView,
  current: readonly ReplicaView[],
  old: readonly ReplicaView[],
  draining: { evicting: number; evictingAvailable: number },
  available: (p: ReplicaView) => boolean,
  remove: { name: string; reason: RemoveReason }[],
) {
  if (current.length > d.replicas) {
    for (const p of [...current].sort(removalOrder).slice(0, current.length - d.replicas)) remove.push({ name: p.name, reason: 'surplus' })
  }
  const keptCurrent = Math.min(current.length, d.replicas)
  const minAvailable = d.replicas - d.maxUnavailable
  const keptAvailable = [...current].sort(removalOrder).slice(current.length - keptCurrent).filter(available).length
  let up = keptAvailable + old.filter(available).length + draining.evictingAvailable
  let oldLeft = old.length
  // Old pods that are not available cost no availability; available ones go while enough others stay.
  for (const p of [...old].sort(removalOrder)) {
    if (!available(p)) remove.push({ name: p.name, reason: 'outdated' })
    else if (up - 1 >= minAvailable) {
      remove.push({ name: p.name, reason: 'outdated' })
      up--
    } else continue
    oldLeft--
  }
  // The old pods removed above no longer count (they terminate out of rotation): their successors start in the same step.
  const total = keptCurrent + oldLeft + draining.evicting
  const create = Math.max(0, Math.min(d.replicas - keptCurrent, d.replicas + d.maxSurge - total))
  return { create, remove }
}

/** The template hash a pod carries (pods made before a template change keep the old one). */
export function podTemplateHash(labels: Readonly<Record<string, string>>): string {
  return labels[TEMPLATE_HASH_LABEL] ?? ''
}
