// sync(node/NAME): at most one change per call, in priority order: the node's Ready condition, then its
// pods' lost marks, then one drain step.
import type { StoredObject } from '../state/store.js'
import { replaceOp, type ControllerContext } from './context.js'
import { deploymentView } from './deployment-view.js'
import { planDrain, type DrainPod, type OwnerAvailability } from './drain-plan.js'
import { planLostPods, planNodeTransitions, type ReadyTransition } from './node-plan.js'
import { annotationsOf, arr, controllerOf, DRAIN_ANNOTATION, EVICT_ANNOTATION, isLost, isTerminal, metaOf, nodeReadyStatus, podNodeName, podReady, rec } from './objects.js'
import { removalOp } from './pod-removal.js'
import { lostStatus, recoveredStatus } from './pod-status.js'
import { DEFAULT_DRAIN_MS } from './sync-deployment.js'

const nodeKey = (name: string) => ({ kind: 'Node', namespace: '', name })

export interface SyncNodeOptions {
  /** How long an evicted running pod stays terminating (out of Service endpoints) before it is deleted. Default 2 s. */
  readonly drainMs?: number
}

export async function syncNode(ctx: ControllerContext, name: string, opts: SyncNodeOptions = {}): Promise<void> {
  const node = ctx.store.get(nodeKey(name))
  if (!node) return
  const [transition] = planNodeTransitions([{ name, ready: nodeReadyStatus(node), lastSeenMs: ctx.liveness.lastSeen(name) }], ctx.now().getTime(), ctx.graceMs)
  if (transition) return writeReady(ctx, node, transition)
  if (await markLostPods(ctx, node)) return
  if (annotationsOf(node)[DRAIN_ANNOTATION] === 'true') await drainStep(ctx, node, opts.drainMs ?? DEFAULT_DRAIN_MS)
}

async function writeReady(ctx: ControllerContext, node: StoredObject, t: ReadyTransition): Promise<void> {
  const status = rec(node.object.status)
  const ready = { type: 'Ready', status: t.ready ? 'True' : 'False', reason: t.reason, message: t.message, lastTransitionTime: ctx.now().toISOString() }
  const conditions = [...arr(status.conditions).filter((c) => c.type !== 'Ready'), ready]
  ctx.log.info({ node: node.name, ready: t.ready }, `node ${node.name} is ${t.ready ? 'Ready' : 'NotReady'}: ${t.message}`)
  await ctx.write([replaceOp(node, { ...node.object, status: { ...status, conditions } })], `node ${node.name} ${t.ready ? 'Ready' : 'NotReady'}`)
}

/** Pods on a NotReady node are marked lost (their deployments replace them); bare pods recover when it returns. */
async function markLostPods(ctx: ControllerContext, node: StoredObject): Promise<boolean> {
  const ready = nodeReadyStatus(node)
  const pods = ctx.store.list('Pod').filter((p) => podNodeName(p) === node.name)
  const byName = new Map(pods.map((p) => [`${p.namespace}/${p.name}`, p]))
  const plan = planLostPods(
    pods.map((p) => ({ namespace: p.namespace, name: p.name, nodeName: node.name, terminal: isTerminal(p), lost: isLost(p), controlled: controllerOf(p) !== undefined })),
    () => (ready === 'True' ? true : ready === 'False' ? false : undefined),
  )
  const time = ctx.now().toISOString()
  const ops = [
    ...plan.markLost.map((b) => {
      const p = byName.get(`${b.namespace}/${b.name}`)!
      return replaceOp(p, { ...p.object, status: lostStatus(rec(p.object.status), node.name, time) })
    }),
    ...plan.recover.map((b) => {
      const p = byName.get(`${b.namespace}/${b.name}`)!
      return replaceOp(p, { ...p.object, status: recoveredStatus(rec(p.object.status)) })
    }),
  ]
  if (ops.length === 0) return false
  if (plan.markLost.length) ctx.log.info({ node: node.name, pods: plan.markLost.map((p) => p.name) }, `${plan.markLost.length} pod(s) lost with node ${node.name}`)
  await ctx.write(ops, `lost pods of ${node.name}`)
  return true
}

function drainPod(p: StoredObject): DrainPod {
  const owner = controllerOf(p)
  return {
    namespace: p.namespace,
    name: p.name,
    nodeName: podNodeName(p) ?? '',
    ready: podReady(p),
    terminal: isTerminal(p) || isLost(p),
    evicting: annotationsOf(p)[EVICT_ANNOTATION] === 'true',
    terminating: metaOf(p).deletionTimestamp !== undefined,
    ...(owner?.kind === 'Deployment' ? { owner: `${p.namespace}/${owner.name}` } : {}),
  }
}

async function drainStep(ctx: ControllerContext, node: StoredObject, drainMs: number): Promise<void> {
  const pods = ctx.store.list('Pod')
  const views = pods.map(drainPod)
  const owners = (owner: string): OwnerAvailability | undefined => {
    const [namespace, name] = owner.split('/') as [string, string]
    const d = ctx.store.get({ kind: 'Deployment', namespace, name })
    return d ? deploymentView(d) : undefined
  }
  const step = planDrain(node.name, views, owners)
  if (step.kind === 'done' || step.kind === 'wait') return
  const p = pods[views.indexOf(step.pod)]!
  const meta = rec(p.object.metadata)
  if (step.kind === 'mark') {
    ctx.log.info({ node: node.name, pod: p.name }, `drain ${node.name}: evicting ${p.namespace}/${p.name} once a replacement allows`)
    const annotations = { ...rec(meta.annotations), [EVICT_ANNOTATION]: 'true' }
    return ctx.write([replaceOp(p, { ...p.object, metadata: { ...meta, annotations } })], `drain ${node.name}: mark ${p.name}`)
  }
  const op = removalOp(p, ctx.now().getTime() + drainMs)
  ctx.log.info({ node: node.name, pod: p.name }, `drain ${node.name}: evicted ${p.namespace}/${p.name}${op.op === 'put' ? ' (terminating: out of rotation, deleted once due)' : ''}`)
  await ctx.write([op], `drain ${node.name}: evict ${p.name}`)
}
