// What the filters and scores need to know about one pod, computed once per pod instead of once per node.
import { type CompiledTerm, compileTerm, type ForbiddenDomains } from './anti-affinity.js'
import { podLabelKeys } from './groups.js'
import { podHash } from './hash.js'
import { usedPorts } from './ports.js'
import type { ClusterState } from './state.js'
import { DEFAULT_SPREAD_KEYS } from './topology.js'
import type { HostPort, SchedPod, Strategy } from './types.js'

export class PodContext {
  readonly labelKeys: readonly string[]
  readonly ports: readonly HostPort[]
  readonly requiredAnti: readonly CompiledTerm[]
  readonly preferredAnti: readonly CompiledTerm[]
  /** Domains placed pods' required anti-affinity forbids to this pod. */
  readonly forbidden: readonly ForbiddenDomains[]
  readonly strategy: Strategy
  readonly spreadKeys: readonly string[]
  /** The pod's half of the tie-break hash. */
  readonly hash: number
  /** Everything the static filters and static scores read: pods with equal signatures share their results. */
  readonly staticSignature: string

  constructor(
    readonly pod: SchedPod,
    state: ClusterState,
    defaultStrategy: Strategy,
    seed: number,
  ) {
    this.labelKeys = podLabelKeys(pod)
    this.ports = usedPorts(pod.hostPorts)
    const anti = pod.podAntiAffinity
    this.requiredAnti = (anti?.required ?? []).map((t) => compileTerm(t, pod.namespace))
    this.preferredAnti = (anti?.preferred ?? []).map((w) => compileTerm(w.podAffinityTerm, pod.namespace, w.weight))
    this.forbidden = state.existing.forbidden(pod, this.labelKeys)
    this.strategy = pod.strategy ?? defaultStrategy
    this.spreadKeys = pod.topologySpreadKeys ?? DEFAULT_SPREAD_KEYS
    this.hash = podHash(seed, pod.uid)
    this.staticSignature = staticSignature(pod)
  }
}

export function staticSignature(pod: SchedPod): string {
  const tolerations = pod.tolerations.length === 0 ? '' : JSON.stringify(pod.tolerations)
  const affinity = pod.nodeAffinity === undefined ? '' : JSON.stringify(pod.nodeAffinity)
  return `${JSON.stringify(pod.nodeSelector)}|${affinity}|${tolerations}`
}
