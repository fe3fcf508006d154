// Pod anti-affinity, both ways round (Kubernetes semantics):
// - the incoming pod's required terms: no pod matching the selector may already run in the node's domain;
// - placed pods' required terms: the incoming pod may not join a domain where a placed pod's term matches it.
// Both are answered from indexes (PodGroup label counts, ExistingAntiAffinity anchors) rather than by
// scanning every placed pod; a selector that the index cannot decide alone scans one domain's pods.
import { type Domain, labelKey, type PodGroup } from './groups.js'
import type { SparseCounts } from './sparse-counts.js'
import { matchLabelSelector, selectorAnchor, selectorIsAnchorOnly } from './selectors.js'
import type { LabelSelector, PodAffinityTerm, SchedPod } from './types.js'

export interface CompiledTerm {
  readonly selector: LabelSelector
  readonly topologyKey: string
  readonly namespaces: readonly string[]
  /** labelKey of the selector's anchor in each namespace; undefined when the selector has no anchor. */
  readonly anchorKeys: readonly string[] | undefined
  readonly anchorOnly: boolean
  readonly weight: number
}

export function compileTerm(term: PodAffinityTerm, podNamespace: string, weight = 0): CompiledTerm {
  const namespaces = term.namespaces !== undefined && term.namespaces.length > 0 ? [...new Set(term.namespaces)] : [podNamespace]
  const anchor = selectorAnchor(term.labelSelector)
  return {
    selector: term.labelSelector,
    topologyKey: term.topologyKey,
    namespaces,
    anchorKeys: anchor === undefined ? undefined : namespaces.map((ns) => labelKey(ns, anchor[0], anchor[1])),
    anchorOnly: selectorIsAnchorOnly(term.labelSelector),
    weight,
  }
}

export function termMatchesPod(t: CompiledTerm, pod: SchedPod): boolean {
  return t.namespaces.includes(pod.namespace) && matchLabelSelector(t.selector, pod.labels)
}

/** Pods of the group matching the term, counting no further than `limit`. */
export function countInGroup(group: PodGroup, t: CompiledTerm, limit = Infinity): number {
  if (t.anchorKeys !== undefined) {
    let anchored = 0
    for (const k of t.anchorKeys) anchored += group.labelCount(k)
    if (anchored === 0 || t.anchorOnly) return anchored
  }
  let n = 0
  for (const pod of group.pods) {
    if (termMatchesPod(t, pod) && ++n >= limit) return n
  }
  return n
}

/** Where a pod's term finds matching pods, per domain of the term's topology key. */
export interface TermCounts {
  readonly ids: Int32Array
  readonly counts: SparseCounts
}

/**
 * Fills `out` with the pods matching the term in each domain, starting from the nodes that run a
 * pod carrying the selector's anchor label (`labelNodes`: labelKey -> node -> pods), so the cost
 * is those nodes, not the cluster. False when the selector has no anchor: the caller then asks
 * countInGroup per domain.
 */
export function fillTermCounts(
  t: CompiledTerm,
  d: Domain,
  labelNodes: ReadonlyMap<string, ReadonlyMap<number, number>>,
  out: SparseCounts,
): boolean {
  if (t.anchorKeys === undefined) return false
  for (const key of t.anchorKeys) {
    for (const [node, n] of labelNodes.get(key) ?? []) {
      const id = d.ids[node]!
      if (id >= 0) out.add(id, n)
    }
  }
  if (!t.anchorOnly) for (const id of out.ids()) out.set(id, countInGroup(d.groups[id]!, t))
  return true
}

/** A domain the incoming pod may not join: nodes whose label `key` has a value counted in `values`. */
export interface ForbiddenDomains {
  readonly key: string
  readonly values: ReadonlyMap<string, number>
}

interface ExistingTerm {
  readonly term: CompiledTerm
  /** topology value -> placed pods carrying this term there. */
  readonly domains: Map<string, number> & ReadonlyMap<string, number>
}

/** The required anti-affinity terms of placed pods, indexed by the label a matching pod must carry. */
export class ExistingAntiAffinity {
  private readonly bySignature = new Map<string, ExistingTerm>()
  private readonly byAnchor = new Map<string, ExistingTerm[]>()
  private readonly unanchored: ExistingTerm[] = []

  get size(): number {
    return this.bySignature.size
  }

  /** Records the pod's required terms; `valueOf` gives the pod's node's value for a topology key. */
  add(pod: SchedPod, valueOf: (key: string) => string | undefined): void {
    for (const raw of pod.podAntiAffinity?.required ?? []) {
      const value = valueOf(raw.topologyKey)
      if (value === undefined) continue
      const t = compileTerm(raw, pod.namespace)
      const entry = this.entry(t)
      entry.domains.set(value, (entry.domains.get(value) ?? 0) + 1)
    }
  }

  /** The domains forbidden to `pod` by placed pods' terms; `keys` are the pod's labelKeys. */
  forbidden(pod: SchedPod, keys: readonly string[]): ForbiddenDomains[] {
    if (this.bySignature.size === 0) return []
    const out: ForbiddenDomains[] = []
    const check = (e: ExistingTerm): void => {
      if (termMatchesPod(e.term, pod)) out.push({ key: e.term.topologyKey, values: e.domains })
    }
    for (const k of keys) for (const e of this.byAnchor.get(k) ?? []) check(e)
    for (const e of this.unanchored) check(e)
    return out
  }

  private entry(t: CompiledTerm): ExistingTerm {
    const sig = JSON.stringify([t.namespaces, t.selector, t.topologyKey])
    let e = this.bySignature.get(sig)
    if (e !== undefined) return e
    e = { term: t, domains: new Map() }
    this.bySignature.set(sig, e)
    if (t.anchorKeys === undefined) this.unanchored.push(e)
    for (const k of t.anchorKeys ?? []) {
      const list = this.byAnchor.get(k)
      if (list === undefined) this.byAnchor.set(k, [e])
      else list.push(e)
    }
    return e
  }
}
