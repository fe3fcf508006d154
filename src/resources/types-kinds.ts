// The six kinds podmesh serves, shaped like Kubernetes, and the normalized form validation returns.
import type { IntOrString, LabelSelector, ObjectMeta, StringMap, TaintEffect, TemplateMeta } from './types-meta.js'
import type { Pod, PodSpec } from './types-pod.js'

export type KindName = 'Node' | 'Pod' | 'Deployment' | 'Service' | 'Secret' | 'ConfigMap'

/** The podmesh annotation choosing how a Deployment's pods are placed. */
export const PLACEMENT_ANNOTATION = 'podmesh.io/placement'
export type Placement = 'spread' | 'binpack'

export interface RollingUpdateDeployment {
  /** A count or a percentage of replicas ("25%"); default "25%". */
  readonly maxSurge: IntOrString
  readonly maxUnavailable: IntOrString
}

export interface DeploymentStrategy {
  readonly type: 'RollingUpdate' | 'Recreate'
  /** Present exactly when type is RollingUpdate. */
  readonly rollingUpdate?: RollingUpdateDeployment
}

export interface PodTemplateSpec {
  readonly metadata: TemplateMeta
  readonly spec: PodSpec
}

export interface DeploymentSpec {
  readonly replicas: number
  readonly selector: LabelSelector
  readonly template: PodTemplateSpec
  readonly strategy: DeploymentStrategy
  readonly minReadySeconds: number
  readonly progressDeadlineSeconds: number
  readonly revisionHistoryLimit: number
  readonly paused: boolean
}

export interface Deployment {
  readonly apiVersion: 'apps/v1'
  readonly kind: 'Deployment'
  readonly metadata: ObjectMeta
  readonly spec: DeploymentSpec
  readonly status?: unknown
}

export interface ServicePort {
  /** Required when the service has more than one port. */
  readonly name?: string
  readonly protocol: 'TCP'
  readonly port: number
  /** A number, or the name of a container port; defaults to `port`. */
  readonly targetPort: IntOrString
  /** Only with type NodePort; 30000-32767. Absent: the cluster picks one. */
  readonly nodePort?: number
}

export interface ServiceSpec {
  readonly type: 'ClusterIP' | 'NodePort'
  readonly selector?: StringMap
  readonly ports: readonly ServicePort[]
  readonly sessionAffinity: 'None'
}

export interface Service {
  readonly apiVersion: 'v1'
  readonly kind: 'Service'
  readonly metadata: ObjectMeta
  readonly spec: ServiceSpec
  readonly status?: unknown
}

export interface Secret {
  readonly apiVersion: 'v1'
  readonly kind: 'Secret'
  readonly metadata: ObjectMeta
  readonly type: string
  readonly immutable: boolean
  /** base64 values; a manifest's stringData is folded in here. */
  readonly data?: StringMap
}

export interface ConfigMap {
  readonly apiVersion: 'v1'
  readonly kind: 'ConfigMap'
  readonly metadata: ObjectMeta
  readonly immutable: boolean
  readonly data?: StringMap
  /** base64 values. */
  readonly binaryData?: StringMap
}

export interface Taint {
  readonly key: string
  readonly value?: string
  readonly effect: TaintEffect
  readonly timeAdded?: string
}

export interface NodeSpec {
  readonly unschedulable: boolean
  readonly taints?: readonly Taint[]
}

export interface Node {
  readonly apiVersion: 'v1'
  readonly kind: 'Node'
  readonly metadata: ObjectMeta
  readonly spec: NodeSpec
  /** Written by the agents; kept as given (keys sorted), checked only to be an object. */
  readonly status?: Readonly<Record<string, unknown>>
}

export type Resource = Node | Pod | Deployment | Service | Secret | ConfigMap

/** A validated document in its canonical stored form. */
export interface Normalized<R extends Resource = Resource> {
  readonly kind: R['kind']
  readonly apiVersion: R['apiVersion']
  /** '' for Node. */
  readonly namespace: string
  readonly name: string
  /** metadata.resourceVersion of the manifest, when given: the API's compare-and-set precondition. */
  readonly resourceVersion?: number
  /**
   * Defaults filled in, server fields and status (except a Node's) removed, keys in a fixed order and maps
   * sorted: the same manifest always gives the same JSON.stringify bytes.
   */
  readonly object: R
}
