// Pod spec types, shaped like core/v1 (only the fields podmesh supports; see docs/resources.md).
import type { IntOrString, LabelSelector, ObjectMeta, ResourceList, StringMap, TaintEffect } from './types-meta.js'

export type Protocol = 'TCP' | 'UDP'
export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never'
export type RestartPolicy = 'Always' | 'OnFailure' | 'Never'

export interface KeySelector {
  readonly name: string
  readonly key: string
  readonly optional?: boolean
}

export interface EnvVar {
  readonly name: string
  readonly value?: string
  readonly valueFrom?: { readonly secretKeyRef?: KeySelector; readonly configMapKeyRef?: KeySelector }
}

export interface SourceRef {
  readonly name: string
  readonly optional?: boolean
}

export interface EnvFromSource {
  readonly prefix?: string
  readonly configMapRef?: SourceRef
  readonly secretRef?: SourceRef
}

export interface ContainerPort {
  readonly name?: string
  readonly containerPort: number
  readonly hostPort?: number
  readonly hostIP?: string
  readonly protocol: Protocol
}

export interface ResourceRequirements {
  /** When limits are set and requests are not, requests default to the limits (as in Kubernetes). */
  readonly requests?: ResourceList
  readonly limits?: ResourceList
}

export interface HTTPHeader {
  readonly name: string
  readonly value: string
}

export interface HTTPGetAction {
  readonly path: string
  /** A number, or the name of one of the container's ports. */
  readonly port: IntOrString
  readonly host?: string
  readonly scheme: 'HTTP'
  readonly httpHeaders?: readonly HTTPHeader[]
}

export interface TCPSocketAction {
  readonly port: IntOrString
  readonly host?: string
}

export interface ExecAction {
  readonly command: readonly string[]
}

/** Exactly one of httpGet, tcpSocket, exec. */
export interface Probe {
  readonly httpGet?: HTTPGetAction
  readonly tcpSocket?: TCPSocketAction
  readonly exec?: ExecAction
  readonly initialDelaySeconds: number
  readonly periodSeconds: number
  readonly timeoutSeconds: number
  readonly failureThreshold: number
  readonly successThreshold: number
}

export interface VolumeMount {
  readonly name: string
  readonly mountPath: string
  readonly readOnly: boolean
  readonly subPath?: string
}

export interface Container {
  readonly name: string
  readonly image: string
  readonly imagePullPolicy: PullPolicy
  readonly command?: readonly string[]
  readonly args?: readonly string[]
  readonly workingDir?: string
  readonly env?: readonly EnvVar[]
  readonly envFrom?: readonly EnvFromSource[]
  readonly ports?: readonly ContainerPort[]
  readonly resources?: ResourceRequirements
  readonly livenessProbe?: Probe
  readonly readinessProbe?: Probe
  readonly startupProbe?: Probe
  readonly volumeMounts?: readonly VolumeMount[]
}

export interface KeyToPath {
  readonly key: string
  readonly path: string
}

/** Exactly one of emptyDir, hostPath, configMap, secret. */
export interface Volume {
  readonly name: string
  readonly emptyDir?: { readonly medium?: 'Memory'; readonly sizeLimit?: string }
  readonly hostPath?: { readonly path: string; readonly type?: HostPathType }
  readonly configMap?: { readonly name: string; readonly items?: readonly KeyToPath[]; readonly optional?: boolean }
  readonly secret?: { readonly secretName: string; readonly items?: readonly KeyToPath[]; readonly optional?: boolean }
}

export type HostPathType = 'DirectoryOrCreate' | 'Directory' | 'FileOrCreate' | 'File' | 'Socket' | 'CharDevice' | 'BlockDevice'

export type NodeSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt'

export interface NodeSelectorRequirement {
  readonly key: string
  readonly operator: NodeSelectorOperator
  readonly values?: readonly string[]
}

export interface NodeSelectorTerm {
  readonly matchExpressions?: readonly NodeSelectorRequirement[]
  /** Only the field `metadata.name`, with In or NotIn. */
  readonly matchFields?: readonly NodeSelectorRequirement[]
}

export interface NodeAffinity {
  readonly requiredDuringSchedulingIgnoredDuringExecution?: { readonly nodeSelectorTerms: readonly NodeSelectorTerm[] }
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly { readonly weight: number; readonly preference: NodeSelectorTerm }[]
}

export interface PodAffinityTerm {
  readonly labelSelector?: LabelSelector
  readonly topologyKey: string
  readonly namespaces?: readonly string[]
}

export interface PodAntiAffinity {
  readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly PodAffinityTerm[]
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly { readonly weight: number; readonly podAffinityTerm: PodAffinityTerm }[]
}

export interface Affinity {
  readonly nodeAffinity?: NodeAffinity
  readonly podAntiAffinity?: PodAntiAffinity
}

export interface Toleration {
  /** Absent with operator Exists: tolerates every taint. */
  readonly key?: string
  readonly operator: 'Equal' | 'Exists'
  readonly value?: string
  /** Absent: every effect. */
  readonly effect?: TaintEffect
  /** Only with effect NoExecute. */
  readonly tolerationSeconds?: number
}

export interface PodSpec {
  readonly containers: readonly Container[]
  readonly volumes?: readonly Volume[]
  readonly restartPolicy: RestartPolicy
  readonly terminationGracePeriodSeconds: number
  readonly nodeSelector?: StringMap
  /** Pod only (not in a Deployment template). */
  readonly nodeName?: string
  readonly hostname?: string
  readonly affinity?: Affinity
  readonly tolerations?: readonly Toleration[]
}

export interface Pod {
  readonly apiVersion: 'v1'
  readonly kind: 'Pod'
  readonly metadata: ObjectMeta
  readonly spec: PodSpec
  /** Written by the cluster, never by a manifest (dropped on input). */
  readonly status?: unknown
}
