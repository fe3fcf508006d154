// sync(deploy/NS/NAME): one write per call, in this order: a new revision's number (rollout-decide.ts),
// or an automatic rollback, or the pods to create, mark terminating and delete (deployment-plan.ts), or
// else the deployment's status. A deployment that is gone takes its pods with it (garbage collection).
// Returns when to look again with no event (a pod turning available, a termination or deadline due).
import type { DeleteOp, PutOp } from '../state/commands.js'
import type { StoredObject } from '../state/store.js'
import { canonicalJson } from '../state/canonical.js'
import { deleteOp, replaceOp, type ControllerContext } from './context.js'
import { planDeployment, removalKind, type NodeHealth, type ReplicaView } from './deployment-plan.js'
import { deploymentView, newReplica, ownedPods, replicaView, rolloutSettings } from './deployment-view.js'
import { podName, randomSuffix } from './names.js'
import { annotationsOf, controllerOf, metaOf, nodeReadyStatus, rec } from './objects.js'
import { planRemoval, terminatingOp } from './pod-removal.js'
import { recoveredStatus } from './pod-status.js'
import { decideRollout } from './rollout-decide.js'
import { CHANGE_CAUSE_ANNOTATION, REVISION_ANNOTATION } from './rollout-revisions.js'

export interface SyncDeploymentOptions {
  /** How long a pod stays terminating (out of endpoints, still running) before it is deleted. Default 2 s. */
  readonly drainMs?: number
}

export const DEFAULT_DRAIN_MS = 2_000

/** Resolves to the delay (ms) after which the deployment should be synced again, if any. */
export async function syncDeployment(ctx: ControllerContext, namespace: string, name: string, opts: SyncDeploymentOptions = {}): Promise<number | undefined> {
  const d = ctx.store.get({ kind: 'Deployment', namespace, name })
  const inNamespace = ctx.store.list('Pod', namespace)
  if (!d) return collectOrphans(ctx, namespace, name, inNamespace, opts.drainMs ?? DEFAULT_DRAIN_MS)
  const now = ctx.now()
  const pods = ownedPods(d, inNamespace)
  const views = pods.map(replicaView)
  const view = deploymentView(d)
  const spec = rec(d.object.spec)
  const changeCause = annotationsOf(d)[CHANGE_CAUSE_ANNOTATION]
  const decision = decideRollout({
    deployment: view,
    generation: d.generation,
    settings: rolloutSettings(d),
    stored: rec(d.object.status),
    template: rec(spec.template),
    ...(changeCause !== undefined ? { changeCause } : {}),
    pods: views,
    now,
  })
  const key = `deployment ${namespace}/${name}`
  if (decision.kind === 'record') {
    ctx.log.info({ deployment: `${namespace}/${name}`, revision: decision.revision }, `${key}: new revision ${decision.revision}`)
    return void (await ctx.write([replaceOp(d, withRevision(d, decision.revision, decision.status))], `${key} revision`))
  }
  if (decision.kind === 'rollback') {
    ctx.log.warn({ deployment: `${namespace}/${name}`, from: decision.record.from, to: decision.record.to }, `${key}: ${decision.record.message}`)
    const rolled = { ...d.object, spec: { ...spec, template: decision.template } }
    const annotations = { ...annotationsOf(d) }
    if (decision.changeCause !== undefined) annotations[CHANGE_CAUSE_ANNOTATION] = decision.changeCause
    else delete annotations[CHANGE_CAUSE_ANNOTATION]
    const object = withRevision({ ...d, object: { ...rolled, metadata: { ...metaOf(d), annotations } } }, decision.revision, decision.status)
    return void (await ctx.write([replaceOp(d, object)], `${key} rollback`))
  }
  const nodeHealth = (nodeName: string): NodeHealth => {
    const n = ctx.store.get({ kind: 'Node', namespace: '', name: nodeName })
    return !n ? 'Absent' : nodeReadyStatus(n) === 'True' ? 'Ready' : 'NotReady'
  }
  const plan = planDeployment({ deployment: view, pods: views, nodeHealth, now: now.getTime() })
  const ops = podOps(ctx, d, pods, views, plan, decision.revision, now.getTime() + (opts.drainMs ?? DEFAULT_DRAIN_MS))
  const wakeAt = Math.min(plan.wakeAt ?? Infinity, decision.wakeAt ?? Infinity)
  const delay = Number.isFinite(wakeAt) ? Math.max(0, wakeAt - now.getTime()) : undefined
  if (ops.length > 0) {
    const removed = plan.remove.map((r) => `${r.name} (${r.reason})`)
    ctx.log.info({ deployment: `${namespace}/${name}`, create: plan.create, remove: removed, recover: plan.recover }, `${key}: ${plan.create} to create, ${removed.length} to remove`)
    await ctx.write(ops, key)
    return delay
  }
  const object = withRevision(d, decision.revision, decision.status)
  if (canonicalJson(object) !== canonicalJson(d.object)) await ctx.write([replaceOp(d, object)], `${key} status`)
  return delay
}

/** The deployment with its revision annotation and a status. */
function withRevision(d: StoredObject, revision: number, status: Record<string, unknown>): Record<string, unknown> {
  const meta = metaOf(d)
  const annotations = { ...annotationsOf(d), [REVISION_ANNOTATION]: String(revision) }
  return { ...d.object, metadata: { ...meta, annotations }, status }
}

function podOps(
  ctx: ControllerContext,
  d: StoredObject,
  pods: readonly StoredObject[],
  views: readonly ReplicaView[],
  plan: ReturnType<typeof planDeployment>,
  revision: number,
  deleteAt: number,
): (PutOp | DeleteOp)[] {
  const byName = new Map(pods.map((p) => [p.name, p]))
  const viewOf = new Map(views.map((v) => [v.name, v]))
  return [
    ...plan.remove.map((r) => {
      const p = byName.get(r.name)!
      return removalKind(viewOf.get(r.name)!) === 'drain' ? terminatingOp(p, deleteAt) : deleteOp(p)
    }),
    ...plan.recover.map((n) => {
      const p = byName.get(n)!
      return replaceOp(p, { ...p.object, status: recoveredStatus(rec(p.object.status)) })
    }),
    ...newPods(ctx, d, plan.create, revision),
  ]
}

function newPods(ctx: ControllerContext, d: StoredObject, n: number, revision: number): PutOp[] {
  const out: PutOp[] = []
  const taken = new Set<string>()
  const hash = deploymentView(d).templateHash
  while (out.length < n) {
    const name = podName(d.name, hash, randomSuffix(ctx.randomBytes(5)))
    if (taken.has(name) || ctx.store.get({ kind: 'Pod', namespace: d.namespace, name })) continue
    taken.add(name)
    out.push(newReplica(d, name, ctx.newUid(), revision))
  }
  return out
}

/**
 * Pods whose controlling Deployment no longer exists (or is another one with the same name) go as any
 * removed pod does: running ones leave Service rotation first (pod-removal.ts). Returns when to look again.
 */
async function collectOrphans(ctx: ControllerContext, namespace: string, name: string, pods: readonly StoredObject[], drainMs: number): Promise<number | undefined> {
  const orphans = pods.filter((p) => {
    const ref = controllerOf(p)
    return ref?.kind === 'Deployment' && ref.name === name
  })
  const now = ctx.now().getTime()
  const plan = planRemoval(orphans.map(replicaView), now, drainMs)
  const byName = new Map(orphans.map((p) => [p.name, p]))
  const ops = [...plan.terminate.map((n) => terminatingOp(byName.get(n)!, now + drainMs)), ...plan.delete.map((n) => deleteOp(byName.get(n)!))]
  if (ops.length > 0) {
    ctx.log.info({ deployment: `${namespace}/${name}`, terminate: plan.terminate, delete: plan.delete }, `deployment ${namespace}/${name} is gone: removing its pods`)
    await ctx.write(ops, `orphans of ${namespace}/${name}`)
  }
  return plan.wakeAt === undefined ? undefined : Math.max(0, plan.wakeAt - now)
}
