// Stored Deployments and their pods as the pure planner sees them, and the pods it asks for.
import type { PutOp } from '../state/commands.js'
import type { StoredObject } from '../state/store.js'
import { podTemplateHash, rolloutLimits, type DeploymentView, type ReplicaView } from './deployment-plan.js'
import { templateHash } from './names.js'
import { annotationsOf, arr, controllerOf, EVICT_ANNOTATION, isLost, labelsOf, metaOf, PLACEMENT_ANNOTATION, podNodeName, podPhase, podReady, rec, strMap, TEMPLATE_HASH_LABEL } from './objects.js'
import { REVISION_ANNOTATION } from './rollout-revisions.js'

/** On a Deployment: "false" turns the automatic rollback of a failed rollout off. */
export const ROLLBACK_ANNOTATION = 'podmesh.io/rollback-on-failure'

export function deploymentView(d: StoredObject): DeploymentView {
  const spec = rec(d.object.spec)
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1
  const strategy = rec(spec.strategy)
  const rolling = rec(strategy.rollingUpdate)
  const limits = rolloutLimits(replicas, rolling.maxSurge as number | string | undefined, rolling.maxUnavailable as number | string | undefined)
  return {
    replicas,
    templateHash: templateHash(spec.template ?? {}),
    strategy: strategy.type === 'Recreate' ? 'Recreate' : 'RollingUpdate',
    ...limits,
    minReadySeconds: typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0,
    paused: spec.paused === true,
  }
}

/** The rollout settings the planner does not need (validation fills their defaults). */
export function rolloutSettings(d: StoredObject): { progressDeadlineSeconds: number; revisionHistoryLimit: number; rollbackOnFailure: boolean } {
  const spec = rec(d.object.spec)
  return {
    progressDeadlineSeconds: typeof spec.progressDeadlineSeconds === 'number' ? spec.progressDeadlineSeconds : 600,
    revisionHistoryLimit: typeof spec.revisionHistoryLimit === 'number' ? spec.revisionHistoryLimit : 10,
    rollbackOnFailure: annotationsOf(d)[ROLLBACK_ANNOTATION] !== 'false',
  }
}

/** When the pod's Ready condition last turned True, and when its termination is due (ms). */
function podTimes(p: StoredObject): { readySince?: number; deleteAt?: number } {
  const ready = arr(rec(p.object.status).conditions).find((c) => c.type === 'Ready' && c.status === 'True')
  const since = typeof ready?.lastTransitionTime === 'string' ? Date.parse(ready.lastTransitionTime) : NaN
  const deletion = metaOf(p).deletionTimestamp
  const due = typeof deletion === 'string' ? Date.parse(deletion) : NaN
  return { ...(Number.isFinite(since) ? { readySince: since } : {}), ...(Number.isFinite(due) ? { deleteAt: due } : deletion !== undefined ? { deleteAt: 0 } : {}) }
}

export function replicaView(p: StoredObject): ReplicaView {
  const nodeName = podNodeName(p)
  return {
    name: p.name,
    templateHash: podTemplateHash(labelsOf(p)),
    ...(nodeName !== undefined ? { nodeName } : {}),
    phase: podPhase(p),
    ready: podReady(p),
    lost: isLost(p),
    evicting: annotationsOf(p)[EVICT_ANNOTATION] === 'true',
    created: p.creationTimestamp,
    ...podTimes(p),
  }
}

/** The pods a deployment controls: its uid in their controller reference (a deployment deleted and made again owns none of the old ones). */
export function ownedPods(d: StoredObject, pods: readonly StoredObject[]): StoredObject[] {
  return pods.filter((p) => {
    const ref = controllerOf(p)
    return ref?.kind === 'Deployment' && ref.uid === d.uid && p.namespace === d.namespace
  })
}

/** A new pod of the deployment's current template, as a put op (created only if absent). */
export function newReplica(d: StoredObject, name: string, uid: string, revision: number): PutOp {
  const spec = rec(d.object.spec)
  const template = rec(spec.template)
  const tmeta = rec(template.metadata)
  const hash = templateHash(spec.template ?? {})
  const annotations: Record<string, string> = { ...strMap(tmeta.annotations), [REVISION_ANNOTATION]: String(revision) }
  const placement = annotationsOf(d)[PLACEMENT_ANNOTATION]
  if (placement !== undefined && annotations[PLACEMENT_ANNOTATION] === undefined) annotations[PLACEMENT_ANNOTATION] = placement
  const metadata: Record<string, unknown> = {
    name,
    namespace: d.namespace,
    labels: { ...strMap(tmeta.labels), [TEMPLATE_HASH_LABEL]: hash },
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.name, uid: d.uid, controller: true, blockOwnerDeletion: true }],
  }
  return { op: 'put', kind: 'Pod', namespace: d.namespace, name, uid, ifVersion: 0, object: { metadata, spec: rec(template.spec), status: { phase: 'Pending' } } }
}
