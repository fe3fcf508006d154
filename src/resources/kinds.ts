// The kinds podmesh serves: the API's path segment (plural), the manifest's kind and apiVersion,
// whether objects live in a namespace, and the CLI's short names.
import type { KindName } from './types-kinds.js'

export interface KindInfo {
  readonly plural: string
  readonly singular: string
  readonly kind: KindName
  readonly apiVersion: 'v1' | 'apps/v1'
  readonly namespaced: boolean
  readonly shortNames: readonly string[]
}

export const KINDS: readonly KindInfo[] = [
  { plural: 'nodes', singular: 'node', kind: 'Node', apiVersion: 'v1', namespaced: false, shortNames: ['no'] },
  { plural: 'pods', singular: 'pod', kind: 'Pod', apiVersion: 'v1', namespaced: true, shortNames: ['po'] },
  { plural: 'deployments', singular: 'deployment', kind: 'Deployment', apiVersion: 'apps/v1', namespaced: true, shortNames: ['deploy'] },
  { plural: 'services', singular: 'service', kind: 'Service', apiVersion: 'v1', namespaced: true, shortNames: ['svc'] },
  { plural: 'secrets', singular: 'secret', kind: 'Secret', apiVersion: 'v1', namespaced: true, shortNames: ['secret'] },
  { plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', apiVersion: 'v1', namespaced: true, shortNames: ['cm'] },
]

const BY_NAME = new Map<string, KindInfo>()
for (const k of KINDS) for (const n of [k.plural, k.singular, ...k.shortNames]) BY_NAME.set(n, k)

/** Plural, singular, kind or short name, case-insensitive: "deploy", "Deployments", "DEPLOYMENT" → Deployment. */
export function kindByName(name: string): KindInfo | undefined {
  return BY_NAME.get(name.toLowerCase())
}

/** The entry of an exact kind name ("ConfigMap"). */
export function kindInfo(kind: KindName): KindInfo {
  return KINDS.find((k) => k.kind === kind)!
}

/** "v1 Pod, apps/v1 Deployment, …": for messages. */
export function supportedKindsText(): string {
  return KINDS.map((k) => `${k.apiVersion} ${k.kind}`).join(', ')
}

/** `List`, or the list kind `GET /v1/{plural}` serves ("PodList"): documents holding `items`. */
export function isListKind(kind: unknown): boolean {
  return kind === 'List' || (typeof kind === 'string' && KINDS.some((k) => `${k.kind}List` === kind))
}
