// The API's view of the resource model (src/resources: manifests, validation, selectors, kinds).
// Until that module lands this file holds a small stand-in behind the same signatures; switching to the
// real one is a change of this file only.
import { parse as parseYaml, parseAllDocuments } from 'yaml'

export interface Issue {
  /** `source#N`, N counted from 1. */
  readonly document: string
  /** Dotted path with [i] for array items, e.g. `spec.template.spec.containers[0].image`; '' for the whole document. */
  readonly path: string
  readonly reason: string
}

export interface ValidObject {
  readonly kind: string
  readonly apiVersion: string
  /** '' for cluster-scoped kinds. */
  readonly namespace: string
  readonly name: string
  readonly resourceVersion?: string
  /** The whole document, normalized. */
  readonly object: Record<string, unknown>
}

export type Validation = { readonly ok: true; readonly object: ValidObject } | { readonly ok: false; readonly issues: readonly Issue[] }

export interface Selector {
  matches(labels: Readonly<Record<string, string>>): boolean
}

export interface KindInfo {
  readonly kind: string
  readonly apiVersion: string
  readonly plural: string
  readonly namespaced: boolean
}

export interface ParsedDocument {
  /** `source#N`. */
  readonly label: string
  readonly doc: unknown
}

export type ManifestFormat = 'yaml' | 'json'

export class SelectorSyntaxError extends Error {
  static override readonly name = 'SelectorSyntaxError'
  override readonly name = 'SelectorSyntaxError'
}

export const KINDS: readonly KindInfo[] = [
  { kind: 'Node', apiVersion: 'v1', plural: 'nodes', namespaced: false },
  { kind: 'Pod', apiVersion: 'v1', plural: 'pods', namespaced: true },
  { kind: 'Deployment', apiVersion: 'apps/v1', plural: 'deployments', namespaced: true },
  { kind: 'Service', apiVersion: 'v1', plural: 'services', namespaced: true },
  { kind: 'Secret', apiVersion: 'v1', plural: 'secrets', namespaced: true },
  { kind: 'ConfigMap', apiVersion: 'v1', plural: 'configmaps', namespaced: true },
]

const byPlural = new Map(KINDS.map((k) => [k.plural, k]))
const byKind = new Map(KINDS.map((k) => [k.kind, k]))

export function kindByPlural(plural: string): KindInfo | undefined {
  return byPlural.get(plural)
}

export function kindByName(kind: string): KindInfo | undefined {
  return byKind.get(kind)
}

/** Splits a request body into documents: YAML streams (`---`), or JSON (an object, an array, or a List with items). */
export function parseManifests(text: string, source: string, format: ManifestFormat): { documents: ParsedDocument[]; issues: Issue[] } {
  const issues: Issue[] = []
  let docs: unknown[] = []
  if (format === 'json') {
    try {
      docs = flatten(JSON.parse(text))
    } catch (err) {
      return { documents: [], issues: [{ document: `${source}#1`, path: '', reason: `not valid JSON: ${(err as Error).message}` }] }
    }
  } else {
    const parsed = parseAllDocuments(text)
    const all = Array.isArray(parsed) ? parsed : [parsed]
    all.forEach((d, i) => {
      if (d.errors.length > 0) issues.push({ document: `${source}#${i + 1}`, path: '', reason: `not valid YAML: ${d.errors[0]!.message}` })
      else if (d.contents !== null) docs.push(...flatten(d.toJS()))
    })
    if (issues.length > 0) return { documents: [], issues }
  }
  return { documents: docs.map((doc, i) => ({ label: `${source}#${i + 1}`, doc })), issues }
}

function flatten(v: unknown): unknown[] {
  if (Array.isArray(v)) return v
  if (v && typeof v === 'object' && (v as { kind?: unknown }).kind === 'List' && Array.isArray((v as { items?: unknown }).items)) return (v as { items: unknown[] }).items
  return [v]
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

/** Stand-in validation: shape, kind, names and a few field checks. The real model checks every field. */
export function validateDocument(doc: unknown, label = ''): Validation {
  const issue = (path: string, reason: string): Validation => ({ ok: false, issues: [{ document: label, path, reason }] })
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return issue('', 'must be an object')
  const d = doc as Record<string, unknown>
  const info = typeof d.kind === 'string' ? byKind.get(d.kind) : undefined
  if (!info) return issue('kind', `must be one of ${KINDS.map((k) => k.kind).join(', ')}`)
  if (d.apiVersion !== info.apiVersion) return issue('apiVersion', `must be "${info.apiVersion}" for ${info.kind}`)
  const meta = d.metadata as Record<string, unknown> | undefined
  if (!meta || typeof meta !== 'object') return issue('metadata', 'is required')
  if (typeof meta.name !== 'string' || meta.name.length > 253 || !NAME.test(meta.name)) return issue('metadata.name', 'must be a DNS-1123 subdomain (lowercase letters, digits, - and .)')
  let namespace = ''
  if (info.namespaced) {
    namespace = meta.namespace === undefined ? 'default' : String(meta.namespace)
    if (!NAME.test(namespace)) return issue('metadata.namespace', 'must be a DNS-1123 label')
  } else if (meta.namespace !== undefined && meta.namespace !== '') return issue('metadata.namespace', `must be empty: ${info.kind} is cluster-scoped`)
  const issues = fieldIssues(info.kind, d, label)
  if (issues.length > 0) return { ok: false, issues }
  const rv = meta.resourceVersion
  return { ok: true, object: { kind: info.kind, apiVersion: info.apiVersion, namespace, name: meta.name, ...(rv === undefined ? {} : { resourceVersion: String(rv) }), object: d } }
}

function fieldIssues(kind: string, d: Record<string, unknown>, label: string): Issue[] {
  const out: Issue[] = []
  const podSpec = kind === 'Pod' ? (d.spec as Record<string, unknown> | undefined) : kind === 'Deployment' ? ((d.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template?.spec) : undefined
  const prefix = kind === 'Pod' ? 'spec' : 'spec.template.spec'
  if (kind === 'Deployment') {
    const replicas = (d.spec as { replicas?: unknown } | undefined)?.replicas
    if (replicas !== undefined && (!Number.isInteger(replicas) || (replicas as number) < 0)) out.push({ document: label, path: 'spec.replicas', reason: 'must be a non-negative integer' })
  }
  if (kind === 'Pod' || kind === 'Deployment') {
    const containers = podSpec?.containers
    if (!Array.isArray(containers) || containers.length === 0) out.push({ document: label, path: `${prefix}.containers`, reason: 'must list at least one container' })
    else
      containers.forEach((c: { image?: unknown; ports?: { containerPort?: unknown }[] }, i) => {
        if (typeof c?.image !== 'string' || c.image === '') out.push({ document: label, path: `${prefix}.containers[${i}].image`, reason: 'is required' })
        c?.ports?.forEach((p, j) => {
          const n = p?.containerPort
          if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 65535) out.push({ document: label, path: `${prefix}.containers[${i}].ports[${j}].containerPort`, reason: 'must be 1-65535' })
        })
      })
  }
  if (kind === 'ConfigMap' || kind === 'Secret') {
    for (const field of ['data', 'stringData']) {
      const m = d[field]
      if (m === undefined) continue
      if (!m || typeof m !== 'object' || Array.isArray(m)) out.push({ document: label, path: field, reason: 'must be a map of strings' })
      else for (const [k, v] of Object.entries(m)) if (typeof v !== 'string') out.push({ document: label, path: `${field}.${k}`, reason: 'must be a string' })
    }
  }
  return out
}

/** Kubernetes label selector syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`; comma = AND. */
export function parseSelector(text: string): Selector {
  const terms: ((l: Readonly<Record<string, string>>) => boolean)[] = []
  for (const raw of splitTerms(text)) {
    const t = raw.trim()
    if (t === '') continue
    let m: RegExpExecArray | null
    if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(t))) {
      const [, key, op, value] = m as unknown as [string, string, string, string]
      terms.push(op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value)
    } else if ((m = /^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(t))) {
      const [, key, op, list] = m as unknown as [string, string, string, string]
      const values = new Set(list.split(',').map((v) => v.trim()))
      terms.push(op === 'in' ? (l) => l[key] !== undefined && values.has(l[key]) : (l) => l[key] === undefined || !values.has(l[key]))
    } else if ((m = /^(!?)\s*([\w./-]+)$/.exec(t))) {
      const [, not, key] = m as unknown as [string, string, string]
      terms.push(not ? (l) => l[key] === undefined : (l) => l[key] !== undefined)
    } else throw new SelectorSyntaxError(`cannot parse "${t}" in the label selector "${text}"`)
  }
  return { matches: (labels) => terms.every((f) => f(labels)) }
}

/** Commas inside `( )` belong to a set, not to the AND. */
function splitTerms(text: string): string[] {
  const out: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++
    else if (text[i] === ')') depth--
    else if (text[i] === ',' && depth === 0) {
      out.push(text.slice(start, i))
      start = i + 1
    }
  }
  out.push(text.slice(start))
  return out
}

/** Parses a one-document YAML or JSON body (PUT). */
export function parseOne(text: string, format: ManifestFormat): unknown {
  return format === 'json' ? JSON.parse(text) : parseYaml(text)
}
