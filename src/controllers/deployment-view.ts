// Stored Deployments and their pods as the pure planner sees them, and the pods it asks for.
import type { PutOp } from '../state/commands.js'
import type { StoredObject } from '../state/store.js'
import { podTemplateHash, rolloutLimits, type DeploymentView, type ReplicaView } from './deployment-plan.js'
import { templateHash } from './names.js'
import { annotationsOf, controllerOf, EVICT_ANNOTATION, isLost, labelsOf, PLACEMENT_ANNOTATION, podNodeName, podPhase, podReady, rec, strMap, TEMPLATE_HASH_LABEL } from './objects.js'

export function deploymentView(d: StoredObject): DeploymentView {
  const spec = rec(d.object.spec)
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1
  const strategy = rec(spec.strategy)
  const rolling = rec(strategy.rollingUpdate)
  const limits = rolloutLimits(replicas, rolling.maxSurge as number | string | undefined, rolling.maxUnavailable as number | string | undefined)
  return { replicas, templateHash: templateHash(spec.template ?? {}), strategy: strategy.type === 'Recreate' ? 'Recreate' : 'RollingUpdate', ...limits }
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
export function newReplica(d: StoredObject, name: string, uid: string): PutOp {
  const spec = rec(d.object.spec)
  const template = rec(spec.template)
  const tmeta = rec(template.metadata)
  const hash = templateHash(spec.template ?? {})
  const annotations = { ...strMap(tmeta.annotations) }
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

export interface DeploymentStatus {
  readonly observedGeneration: number
  readonly replicas: number
  readonly updatedReplicas: number
  readonly readyReplicas: number
  readonly availableReplicas: number
  readonly unavailableReplicas: number
}

/** What `agent get deploy` shows: counted over the pods that are not lost or finished. */
export function deploymentStatus(d: StoredObject, pods: readonly StoredObject[]): DeploymentStatus {
  const view = deploymentView(d)
  const live = pods.map(replicaView).filter((p) => !p.lost && p.phase !== 'Failed' && p.phase !== 'Succeeded')
  const ready = live.filter((p) => p.ready).length
  return {
    observedGeneration: d.generation,
    replicas: live.length,
    updatedReplicas: live.filter((p) => p.templateHash === view.templateHash).length,
    readyReplicas: ready,
    availableReplicas: ready,
    unavailableReplicas: Math.max(0, view.replicas - ready),
  }
}
