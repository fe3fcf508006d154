// The scheduler's own input and output. Shaped like Kubernetes (Node, Pod spec) so that the
// adapter from the cluster's resource model is a field-by-field copy; only the selector shapes are shared.
// Field names drop Kubernetes' long suffixes: `required` is requiredDuringSchedulingIgnoredDuringExecution,
// `preferred` is preferredDuringSchedulingIgnoredDuringExecution.
// Selectors are the resource model's own types (pure, shared): Kubernetes semantics, requirements ANDed;
// a node selector term with no requirement matches no node; an empty label selector matches every pod.
import type { LabelSelector, LabelSelectorOperator, LabelSelectorRequirement, NodeSelectorOperator, NodeSelectorRequirement, NodeSelectorTerm } from '../resources/index.js'
import type { FilterReason } from './reasons.js'

export type { LabelSelector, LabelSelectorOperator, LabelSelectorRequirement, NodeSelectorOperator, NodeSelectorRequirement, NodeSelectorTerm }

export type Strategy = 'spread' | 'binpack'

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute'

export interface Taint {
  readonly key: string
  readonly value?: string
  readonly effect: TaintEffect
}

export interface Toleration {
  /** Empty or absent with operator Exists: tolerates every taint. */
  readonly key?: string
  readonly operator: 'Equal' | 'Exists'
  readonly value?: string
  /** Absent: tolerates every effect. */
  readonly effect?: TaintEffect
}

export interface Resources {
  readonly cpuMillis: number
  readonly memoryBytes: number
}

export interface Allocatable extends Resources {
  /** Maximum number of pods on the node; absent means no limit. */
  readonly pods?: number
}

export interface SchedNode {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly allocatable: Allocatable
  /** Cordoned: no new pods. */
  readonly unschedulable: boolean
  readonly ready: boolean
  readonly taints: readonly Taint[]
}


export interface PreferredSchedulingTerm {
  /** 1..100 in Kubernetes; any positive number here. */
  readonly weight: number
  readonly preference: NodeSelectorTerm
}

export interface NodeAffinity {
  /** Terms ORed: a node must match at least one. Absent or empty: no constraint. */
  readonly required?: readonly NodeSelectorTerm[]
  readonly preferred?: readonly PreferredSchedulingTerm[]
}

export interface PodAffinityTerm {
  readonly labelSelector: LabelSelector
  /** Node label that defines the domain, e.g. 'kubernetes.io/hostname' or 'topology.kubernetes.io/zone'. */
  readonly topologyKey: string
  /** Namespaces whose pods the selector applies to; absent or empty: the pod's own namespace. */
  readonly namespaces?: readonly string[]
}

export interface WeightedPodAffinityTerm {
  readonly weight: number
  readonly podAffinityTerm: PodAffinityTerm
}

export interface PodAntiAffinity {
  readonly required?: readonly PodAffinityTerm[]
  readonly preferred?: readonly WeightedPodAffinityTerm[]
}

export type Protocol = 'TCP' | 'UDP'

export interface HostPort {
  /** 0 means no host port (Kubernetes semantics) and is ignored. */
  readonly hostPort: number
  readonly protocol: Protocol
  /** Absent, '' or '0.0.0.0': every address of the node, so it conflicts with any IP. */
  readonly hostIP?: string
}

export interface SchedPod {
  readonly uid: string
  readonly namespace: string
  readonly name: string
  /** Groups replicas for spreading, e.g. 'deployment/default/web'. */
  readonly owner?: string
  readonly labels: Readonly<Record<string, string>>
  readonly requests: Resources
  readonly nodeSelector: Readonly<Record<string, string>>
  readonly nodeAffinity?: NodeAffinity
  readonly podAntiAffinity?: PodAntiAffinity
  readonly hostPorts: readonly HostPort[]
  readonly tolerations: readonly Toleration[]
  /** Overrides the cluster default. */
  readonly strategy?: Strategy
  /** Node labels to spread replicas across, most important first. Default: DEFAULT_SPREAD_KEYS. */
  readonly topologySpreadKeys?: readonly string[]
}

export type PlacedPod = SchedPod & { readonly nodeName: string }

export interface ScheduleOptions {
  /**
   * Like kube-scheduler's percentageOfNodesToScore: once this share of the cluster is found
   * feasible, stop looking and rank those. Default: adaptive (50% minus 1% per 125 nodes, at least 5%),
   * never fewer than 100 nodes. 100 ranks every feasible node. See sample.ts.
   */
  readonly percentageOfNodesToScore?: number
}

export interface ScheduleInput {
  readonly nodes: readonly SchedNode[]
  readonly placed: readonly PlacedPod[]
  /** Placed in this order: the caller decides priority. */
  readonly pending: readonly SchedPod[]
  /** Cluster default; a pod's own strategy wins. Default 'spread'. */
  readonly strategy?: Strategy
  /** Seeds the tie-break, so that a placement can be replayed. Default 0. */
  readonly seed?: number
  readonly options?: ScheduleOptions
}

export interface Placement {
  readonly uid: string
  readonly nodeName: string
}

export interface Unschedulable {
  readonly uid: string
  /** Like Kubernetes: '0/3 nodes available: 2 insufficient memory, 1 node(s) were cordoned'. */
  readonly reason: string
  /** Nodes rejected per reason; each node is counted once, under the first filter it failed. */
  readonly counts: Record<FilterReason, number>
}

export interface ScheduleResult {
  readonly placements: Placement[]
  readonly unschedulable: Unschedulable[]
}
