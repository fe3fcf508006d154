// Object metadata and the small shared shapes, exactly as Kubernetes spells them.
// These types describe the canonical (normalized) form: defaults are filled in, so a field a default
// always fills is not optional here.

export type StringMap = Readonly<Record<string, string>>

export interface ObjectMeta {
  readonly name: string
  /** '' for cluster-scoped kinds (Node); "default" when the manifest leaves it out. */
  readonly namespace: string
  readonly labels?: StringMap
  readonly annotations?: StringMap
  /** Kept as given: the Deployment controller sets it on its pods, and a served pod applied back stays owned. */
  readonly ownerReferences?: readonly OwnerReference[]
  // Server fields: never in the stored canonical form; the API adds them when it serves an object.
  readonly uid?: string
  /** The Raft index of the object's last change, as a decimal string. */
  readonly resourceVersion?: string
  readonly generation?: number
  readonly creationTimestamp?: string
}

/** Kubernetes' OwnerReference: the object that owns this one (a Deployment owns its pods). */
export interface OwnerReference {
  readonly apiVersion: string
  readonly kind: string
  readonly name: string
  readonly uid: string
  readonly controller?: boolean
  readonly blockOwnerDeletion?: boolean
}

/** Metadata of a pod template: labels and annotations only. */
export interface TemplateMeta {
  readonly labels?: StringMap
  readonly annotations?: StringMap
}

export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'

export interface LabelSelectorRequirement {
  readonly key: string
  readonly operator: LabelSelectorOperator
  readonly values?: readonly string[]
}

export interface LabelSelector {
  readonly matchLabels?: StringMap
  readonly matchExpressions?: readonly LabelSelectorRequirement[]
}

/** A number, or a string: a named port ("http") or a percentage ("25%"), depending on the field. */
export type IntOrString = number | string

/** CPU and memory as Kubernetes quantities, kept as written ("250m", "64Mi"); read them with parseCpu/parseMemory. */
export interface ResourceList {
  readonly cpu?: string
  readonly memory?: string
}

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute'
