// The kinds the CLI knows, and how a user may name them: plural, singular, short name or Kind,
// in any case, alone or as `kind/name`.
import { UsageError } from './errors.js'

export interface KindInfo {
  /** The API's path segment, e.g. `deployments`. */
  readonly plural: string
  readonly kind: string
  readonly apiVersion: string
  /** How kubectl names the resource in messages: `deployment.apps`, `service`. */
  readonly display: string
  readonly namespaced: boolean
  readonly aliases: readonly string[]
}

export const KINDS: readonly KindInfo[] = [
  { plural: 'pods', kind: 'Pod', apiVersion: 'v1', display: 'pod', namespaced: true, aliases: ['pod', 'po'] },
  { plural: 'deployments', kind: 'Deployment', apiVersion: 'apps/v1', display: 'deployment.apps', namespaced: true, aliases: ['deployment', 'deploy'] },
  { plural: 'services', kind: 'Service', apiVersion: 'v1', display: 'service', namespaced: true, aliases: ['service', 'svc'] },
  { plural: 'configmaps', kind: 'ConfigMap', apiVersion: 'v1', display: 'configmap', namespaced: true, aliases: ['configmap', 'cm'] },
  { plural: 'secrets', kind: 'Secret', apiVersion: 'v1', display: 'secret', namespaced: true, aliases: ['secret'] },
  { plural: 'nodes', kind: 'Node', apiVersion: 'v1', display: 'node', namespaced: false, aliases: ['node', 'no'] },
]

const BY_NAME = new Map<string, KindInfo>()
for (const k of KINDS) for (const n of [k.plural, k.kind, ...k.aliases, `${k.plural}.${k.apiVersion.split('/')[0]}`]) BY_NAME.set(n.toLowerCase(), k)

export function knownKindNames(): string {
  return KINDS.map((k) => `${k.plural} (${k.aliases.join(', ')})`).join(', ')
}

/** `deploy`, `Deployments`, `deployment.apps` → the Deployment kind; a UsageError listing the known kinds otherwise. */
export function resolveKind(name: string): KindInfo {
  const k = BY_NAME.get(name.toLowerCase()) ?? BY_NAME.get(name.toLowerCase().replace(/\.apps$/, ''))
  if (!k) throw new UsageError(`unknown kind "${name}"; known kinds: ${knownKindNames()}`)
  return k
}

/** The Kind as written in a manifest (`Deployment`) → its info, or undefined. */
export function kindOfManifest(kind: string): KindInfo | undefined {
  return KINDS.find((k) => k.kind === kind) ?? BY_NAME.get(kind.toLowerCase())
}

export interface KindAndName {
  readonly kind: KindInfo
  readonly name?: string
}

/** The positional `KIND [NAME]` or `KIND/NAME` of get, describe and delete. */
export function parseKindArgs(kindArg: string, nameArg?: string): KindAndName {
  const slash = kindArg.indexOf('/')
  if (slash < 0) return { kind: resolveKind(kindArg), ...(nameArg ? { name: nameArg } : {}) }
  if (nameArg) throw new UsageError(`give either "${kindArg}" or a kind and a name, not both`)
  const name = kindArg.slice(slash + 1)
  if (name === '') throw new UsageError(`"${kindArg}" names no object`)
  return { kind: resolveKind(kindArg.slice(0, slash)), name }
}

/** `deployment.apps/web`: how kubectl refers to one object in its output. */
export function qualifiedName(kind: KindInfo, name: string): string {
  return `${kind.display}/${name}`
}
