// sync(deploy/NS/NAME): one write per call: the pods to create and delete (planDeployment), or else
// the deployment's status. A deployment that is gone takes its pods with it (garbage collection).
import type { PutOp } from '../state/commands.js'
import type { StoredObject } from '../state/store.js'
import { canonicalJson } from '../state/canonical.js'
import { deleteOp, replaceOp, type ControllerContext } from './context.js'
import { planDeployment, type NodeHealth } from './deployment-plan.js'
import { deploymentStatus, deploymentView, newReplica, ownedPods, replicaView } from './deployment-view.js'
import { podName, randomSuffix } from './names.js'
import { controllerOf, nodeReadyStatus, rec } from './objects.js'
import { recoveredStatus } from './pod-status.js'

export async function syncDeployment(ctx: ControllerContext, namespace: string, name: string): Promise<void> {
  const d = ctx.store.get({ kind: 'Deployment', namespace, name })
  const inNamespace = ctx.store.list('Pod', namespace)
  if (!d) return collectOrphans(ctx, namespace, name, inNamespace)
  const pods = ownedPods(d, inNamespace)
  const view = deploymentView(d)
  const nodeHealth = (nodeName: string): NodeHealth => {
    const n = ctx.store.get({ kind: 'Node', namespace: '', name: nodeName })
    return !n ? 'Absent' : nodeReadyStatus(n) === 'True' ? 'Ready' : 'NotReady'
  }
  const plan = planDeployment({ deployment: view, pods: pods.map(replicaView), nodeHealth })
  const byName = new Map(pods.map((p) => [p.name, p]))
  const ops = [
    ...plan.remove.map((r) => deleteOp(byName.get(r.name)!)),
    ...plan.recover.map((n) => {
      const p = byName.get(n)!
      return replaceOp(p, { ...p.object, status: recoveredStatus(rec(p.object.status)) })
    }),
    ...newPods(ctx, d, view.templateHash, plan.create),
  ]
  if (ops.length > 0) {
    const removed = plan.remove.map((r) => `${r.name} (${r.reason})`)
    ctx.log.info({ deployment: `${namespace}/${name}`, create: plan.create, remove: removed, recover: plan.recover }, `deployment ${namespace}/${name}: ${plan.create} to create, ${removed.length} to delete`)
    return ctx.write(ops, `deployment ${namespace}/${name}`)
  }
  const status = deploymentStatus(d, pods)
  if (canonicalJson(rec(d.object.status)) === canonicalJson(status)) return
  await ctx.write([replaceOp(d, { ...d.object, status })], `deployment ${namespace}/${name} status`)
}

function newPods(ctx: ControllerContext, d: StoredObject, hash: string, n: number): PutOp[] {
  const out: PutOp[] = []
  const taken = new Set<string>()
  while (out.length < n) {
    const name = podName(d.name, hash, randomSuffix(ctx.randomBytes(5)))
    if (taken.has(name) || ctx.store.get({ kind: 'Pod', namespace: d.namespace, name })) continue
    taken.add(name)
    out.push(newReplica(d, name, ctx.newUid()))
  }
  return out
}

/** Pods whose controlling Deployment no longer exists (or is another one with the same name). */
async function collectOrphans(ctx: ControllerContext, namespace: string, name: string, pods: readonly StoredObject[]): Promise<void> {
  const orphans = pods.filter((p) => {
    const ref = controllerOf(p)
    return ref?.kind === 'Deployment' && ref.name === name
  })
  if (orphans.length === 0) return
  ctx.log.info({ deployment: `${namespace}/${name}`, pods: orphans.length }, `deployment ${namespace}/${name} is gone: deleting its pods`)
  await ctx.write(orphans.map(deleteOp), `orphans of ${namespace}/${name}`)
}
