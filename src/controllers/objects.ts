// How the controllers read the stored objects they work on (Node, Pod, Deployment) and the names of
// the labels, annotations and reasons they write. Objects are stored as plain JSON (src/state/store.ts):
// these readers never throw on a field the cluster has not filled yet.
import type { StoredObject } from '../state/store.js'

export const HOSTNAME_LABEL = 'kubernetes.io/hostname'
export const TEMPLATE_HASH_LABEL = 'pod-template-hash'
export const PLACEMENT_ANNOTATION = 'podmesh.io/placement'
/** On a Node: the Raft member id of the agent that registered it. */
export const MEMBER_ID_ANNOTATION = 'podmesh.io/member-id'
/** On a Node: the label keys its agent manages (from --label), so that a removed flag removes its label. */
export const AGENT_LABELS_ANNOTATION = 'podmesh.io/agent-labels'
/** On a Node: `agent drain` asked for its pods to be moved off. */
export const DRAIN_ANNOTATION = 'podmesh.io/drain'
/** On a Pod: the drain controller chose it for eviction; its deployment starts a replacement first. */
export const EVICT_ANNOTATION = 'podmesh.io/evicting'
/** status.reason of a pod whose node turned NotReady (Kubernetes' node controller uses the same word). */
export const NODE_LOST = 'NodeLost'

export type Json = Record<string, unknown>

export function rec(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {}
}

export function arr(v: unknown): Json[] {
  return Array.isArray(v) ? v.map(rec) : []
}

export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, x] of Object.entries(rec(v))) if (typeof x === 'string') out[k] = x
  return out
}

export function metaOf(o: StoredObject): Json {
  return rec(o.object.metadata)
}

export function labelsOf(o: StoredObject): Record<string, string> {
  return strMap(metaOf(o).labels)
}

export function annotationsOf(o: StoredObject): Record<string, string> {
  return strMap(metaOf(o).annotations)
}

export interface OwnerRef {
  readonly apiVersion: string
  readonly kind: string
  readonly name: string
  readonly uid: string
  readonly controller: boolean
}

/** The controlling owner of an object (a Deployment for the pods it made). */
export function controllerOf(o: StoredObject): OwnerRef | undefined {
  const ref = arr(metaOf(o).ownerReferences).find((r) => r.controller === true)
  if (!ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string' || typeof ref.uid !== 'string') return undefined
  return { apiVersion: String(ref.apiVersion ?? ''), kind: ref.kind, name: ref.name, uid: ref.uid, controller: true }
}

export function podNodeName(o: StoredObject): string | undefined {
  const n = rec(o.object.spec).nodeName
  return typeof n === 'string' && n !== '' ? n : undefined
}

export function podStatusOf(o: StoredObject): Json {
  return rec(o.object.status)
}

export function podPhase(o: StoredObject): string {
  const p = podStatusOf(o).phase
  return typeof p === 'string' ? p : 'Pending'
}

export function isTerminal(o: StoredObject): boolean {
  const p = podPhase(o)
  return p === 'Failed' || p === 'Succeeded'
}

export function isLost(o: StoredObject): boolean {
  return podStatusOf(o).reason === NODE_LOST
}

export function podReady(o: StoredObject): boolean {
  if (isLost(o) || podPhase(o) !== 'Running') return false
  return arr(podStatusOf(o).conditions).some((c) => c.type === 'Ready' && c.status === 'True')
}

/** A Node's Ready condition: 'True', 'False', or undefined before the leader has judged it. */
export function nodeReadyStatus(o: StoredObject): 'True' | 'False' | undefined {
  const c = arr(rec(o.object.status).conditions).find((x) => x.type === 'Ready')
  return c?.status === 'True' ? 'True' : c?.status === 'False' ? 'False' : undefined
}

export function nodeUnschedulable(o: StoredObject): boolean {
  return rec(o.object.spec).unschedulable === true
}

export function ownerKey(namespace: string, name: string): string {
  return `deployment/${namespace}/${name}`
}
