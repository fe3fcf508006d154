// What the filters and scores need to know about one pod, computed once per pod instead of once per node.
import { type CompiledTerm, compileTerm, fillTermCounts, type ForbiddenDomains, type TermCounts } from './anti-affinity.js'
import { podLabelKeys } from './groups.js'
import { podHash } from './hash.js'
import { usedPorts } from './ports.js'
import type { SparseCountsPool } from './sparse-counts.js'
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
  /**
   * Matching pods per domain for each required / preferred anti-affinity term, when a pool was
   * given and the term's selector has an anchor; otherwise undefined and the filters count per
   * node. Valid until release().
   */
  readonly requiredCounts: readonly (TermCounts | undefined)[]
  readonly preferredCounts: readonly (TermCounts | undefined)[]

  constructor(
    readonly pod: SchedPod,
    state: ClusterState,
    defaultStrategy: Strategy,
    seed: number,
    private readonly pool?: SparseCountsPool,
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
    this.requiredCounts = this.requiredAnti.map((t) => this.termCounts(t, state))
    this.preferredCounts = this.preferredAnti.map((t) => this.termCounts(t, state))
  }

  private termCounts(t: CompiledTerm, state: ClusterState): TermCounts | undefined {
    if (this.pool === undefined) return undefined
    const d = state.domain(t.topologyKey)
    const counts = this.pool.take()
    if (fillTermCounts(t, d, state.labelNodes, counts)) return { ids: d.ids, counts }
    this.pool.give(counts)
    return undefined
  }

  /** Returns the pooled counts; the context must not be used afterwards. */
  release(): void {
    if (this.pool === undefined) return
    for (const c of [...this.requiredCounts, ...this.preferredCounts]) if (c !== undefined) this.pool.give(c.counts)
  }
}

export function staticSignature(pod: SchedPod): string {
  const tolerations = pod.tolerations.length === 0 ? '' : JSON.stringify(pod.tolerations)
  const affinity = pod.nodeAffinity === undefined ? '' : JSON.stringify(pod.nodeAffinity)
  return `${JSON.stringify(pod.nodeSelector)}|${affinity}|${tolerations}`
}
