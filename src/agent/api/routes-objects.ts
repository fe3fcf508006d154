import type { ObjectKey } from '../../state/commands.js'
import { commitWrite } from './commit.js'
import type { ObjectApiDeps } from './context.js'
import { ApiFailure } from './errors.js'
import { parseVersion, putOp, refuseQuery } from './object-input.js'
import { labelsOf, renderObject } from './render.js'
import { RenderedObjects } from './rendered-objects.js'
import { kindByPlural, parseOne, parseSelector, validateDocument, type KindInfo, type Selector } from './resources.js'
import type { ApiRequest, Route } from './server.js'

/** GET (list and one), PUT and DELETE of objects by kind. */
export function objectRoutes(deps: () => ObjectApiDeps): Route[] {
  let cache: RenderedObjects | undefined
  const rendered = (d: ObjectApiDeps): RenderedObjects => (cache?.store === d.state.store ? cache : (cache = new RenderedObjects(d.state.store, d.secrets)))
  return [
    { method: 'GET', path: '/v1/:kind', name: 'list', handler: async (req) => { const d = deps(); return list(d, rendered(d), req) } },
    { method: 'GET', path: '/v1/:kind/:name', name: 'get', handler: async (req) => { const d = deps(); return get(d, rendered(d), req) } },
    { method: 'PUT', path: '/v1/:kind/:name', name: 'put', handler: async (req) => { const d = deps(); return put(d, rendered(d), req) } },
    { method: 'DELETE', path: '/v1/:kind/:name', name: 'delete', handler: async (req) => ({ body: await remove(deps(), req) }) },
  ]
}

export function kindOf(plural: string | undefined): KindInfo {
  const k = kindByPlural(plural ?? '')
  if (!k) throw new ApiFailure('NotFound', `unknown kind "${plural}"; known: nodes, pods, deployments, services, secrets, configmaps`)
  return k
}

/** The namespace of a one-object request: '' for cluster-scoped kinds, else ?namespace= or "default". */
export function namespaceOf(k: KindInfo, req: ApiRequest): string {
  return k.namespaced ? req.query.get('namespace') || 'default' : ''
}

export function selectorOf(req: ApiRequest): Selector | undefined {
  const text = req.query.get('labelSelector')
  if (!text) return undefined
  try {
    return parseSelector(text)
  } catch (err) {
    throw new ApiFailure('BadRequest', (err as Error).message)
  }
}

/** Linearizable unless ?stale=true: wait until this node has applied everything committed before the request. */
export async function barrier(deps: ObjectApiDeps, req: ApiRequest): Promise<void> {
  if (req.query.get('stale') === 'true') return
  await deps.readBarrier()
}

const reveal = (req: ApiRequest) => req.query.get('reveal') === 'true'

async function list(deps: ObjectApiDeps, rendered: RenderedObjects, req: ApiRequest) {
  const k = kindOf(req.params.kind)
  const selector = selectorOf(req)
  const shown = reveal(req)
  await barrier(deps, req)
  const ns = k.namespaced ? req.query.get('namespace') || undefined : undefined
  const items: string[] = []
  for (const o of deps.state.store.list(k.kind, ns)) {
    if (selector && !selector.matches(labelsOf(o))) continue
    items.push(shown ? JSON.stringify(renderObject(o, k.apiVersion, deps.secrets, { reveal: true })) : rendered.json(o, k.apiVersion))
  }
  // Items are spliced in as cached text rather than parsed and serialized again.
  const head = JSON.stringify({ apiVersion: k.apiVersion, kind: `${k.kind}List`, metadata: { resourceVersion: String(deps.state.applied) } })
  return { json: `${head.slice(0, -1)},"items":[${items.join(',')}]}` }
}

async function get(deps: ObjectApiDeps, rendered: RenderedObjects, req: ApiRequest) {
  const k = kindOf(req.params.kind)
  const key: ObjectKey = { kind: k.kind, namespace: namespaceOf(k, req), name: req.params.name! }
  await barrier(deps, req)
  const o = deps.state.store.get(key)
  if (!o) throw notFound(k, key)
  return reveal(req) ? { body: renderObject(o, k.apiVersion, deps.secrets, { reveal: true }) } : { json: rendered.json(o, k.apiVersion) }
}

function notFound(k: KindInfo, key: ObjectKey): ApiFailure {
  return new ApiFailure('NotFound', `${k.plural} "${key.name}" not found${key.namespace ? ` in namespace "${key.namespace}"` : ''}`)
}

const DRY_RUN_ELSEWHERE = { name: 'dryRun', why: 'a dry run is POST /v1/apply?dryRun=All with the object as its body' }

/** The whole object; a compare-and-set when metadata.resourceVersion is given. apiVersion and kind default to the URL's. */
async function put(deps: ObjectApiDeps, rendered: RenderedObjects, req: ApiRequest) {
  const k = kindOf(req.params.kind)
  const doc = bodyObject(req)
  if (doc.kind !== undefined && doc.kind !== k.kind) throw new ApiFailure('BadRequest', `the body's kind "${String(doc.kind)}" does not match the URL's ${k.plural}`)
  const meta = (doc.metadata ?? {}) as Record<string, unknown>
  if (typeof meta !== 'object' || Array.isArray(meta)) throw new ApiFailure('BadRequest', 'metadata must be an object')
  if (meta.name !== undefined && meta.name !== req.params.name) throw new ApiFailure('BadRequest', `metadata.name "${String(meta.name)}" does not match the URL's "${req.params.name}"`)
  refuseQuery(req.query, [DRY_RUN_ELSEWHERE, { name: 'resourceVersion', why: 'PUT takes its compare-and-set version in the body, as metadata.resourceVersion' }])
  const asked = req.query.get('namespace') || undefined
  if (k.namespaced && meta.namespace && asked && meta.namespace !== asked) throw new ApiFailure('BadRequest', `metadata.namespace "${String(meta.namespace)}" does not match the URL's namespace "${asked}"`)
  const namespace = k.namespaced ? (meta.namespace as string | undefined) || asked || 'default' : ''
  // resourceVersion "0" means "only if absent" (create-only); the resource model only knows served versions (>= 1).
  const createOnly = meta.resourceVersion === '0' || meta.resourceVersion === 0
  const { resourceVersion: _rv, ...restMeta } = meta
  const full = { ...doc, apiVersion: doc.apiVersion ?? k.apiVersion, kind: k.kind, metadata: { ...(createOnly ? restMeta : meta), name: req.params.name, ...(k.namespaced ? { namespace } : {}) } }
  const source = headerText(req, 'x-podmesh-source') ?? 'request'
  const v = validateDocument(full, `${source}#1`)
  if (!v.ok) throw invalid(v.issues.map((i) => ({ ...i, document: i.document || `${source}#1` })))
  const ifVersion = createOnly ? 0 : parseVersion(v.object.resourceVersion, 'metadata.resourceVersion')
  const { results } = await commitWrite(deps, [putOp(v.object, deps.secrets, deps.newUid(), ifVersion)], req.gone)
  const stored = deps.state.store.get(v.object)
  const status = results[0] === 'created' ? 201 : 200
  return stored ? { status, json: rendered.json(stored, k.apiVersion) } : { status, body: null }
}

async function remove(deps: ObjectApiDeps, req: ApiRequest) {
  const k = kindOf(req.params.kind)
  const key: ObjectKey = { kind: k.kind, namespace: namespaceOf(k, req), name: req.params.name! }
  refuseQuery(req.query, [DRY_RUN_ELSEWHERE])
  const ifVersion = parseVersion(req.query.get('resourceVersion'), 'resourceVersion')
  await commitWrite(deps, [{ op: 'delete', ...key, ...(ifVersion === undefined ? {} : { ifVersion }) }], req.gone)
  return { status: 'deleted', kind: k.kind, namespace: key.namespace, name: key.name }
}

function bodyObject(req: ApiRequest): Record<string, unknown> {
  const format = isYaml(req) ? 'yaml' : 'json'
  let doc: unknown
  try {
    doc = parseOne(req.body.toString('utf8'), format)
  } catch (err) {
    throw new ApiFailure('BadRequest', `the body is not ${format === 'yaml' ? 'YAML' : 'JSON'}: ${(err as Error).message}`)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new ApiFailure('BadRequest', 'the body must be one object')
  return doc as Record<string, unknown>
}

export function isYaml(req: ApiRequest): boolean {
  const type = headerText(req, 'content-type') ?? ''
  if (type.includes('yaml')) return true
  if (type.includes('json')) return false
  const first = /\S/.exec(req.body.toString('utf8', 0, Math.min(req.body.length, 256)))?.[0]
  return first !== '{' && first !== '['
}

export function headerText(req: ApiRequest, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

export function invalid(issues: readonly { document: string; path: string; reason: string }[]): ApiFailure {
  const lines = issues.map((i) => `${i.document} ${i.path ? `${i.path}: ` : ''}${i.reason}`)
  return new ApiFailure('Invalid', `${issues.length === 1 ? 'an invalid document' : `${issues.length} problems`}; nothing was applied:\n${lines.join('\n')}`, { issues })
}
