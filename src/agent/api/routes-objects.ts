import { randomUUID } from 'node:crypto'
import type { Agent } from '../agent.js'
import type { StoredObject } from '../../state/store.js'
import { ApiFailure } from './errors.js'
import type { ApiRequest, Route } from './server.js'

// Objects by kind. For now ConfigMaps only, unvalidated beyond shape; the full resource model
// (validation, apply, selectors, watch) builds on these routes.
const KINDS: Readonly<Record<string, { kind: string; apiVersion: string }>> = {
  configmaps: { kind: 'ConfigMap', apiVersion: 'v1' },
}

export function objectRoutes(agent: () => Agent): Route[] {
  return [
    { method: 'GET', path: '/v1/:kind', name: 'list', handler: async (req) => ({ body: await list(agent(), req) }) },
    { method: 'GET', path: '/v1/:kind/:name', name: 'get', handler: async (req) => ({ body: await get(agent(), req) }) },
    { method: 'PUT', path: '/v1/:kind/:name', name: 'put', handler: async (req) => put(agent(), req) },
    { method: 'DELETE', path: '/v1/:kind/:name', name: 'delete', handler: async (req) => ({ body: await remove(agent(), req) }) },
  ]
}

function kindOf(req: ApiRequest): { kind: string; apiVersion: string } {
  const k = KINDS[req.params.kind ?? '']
  if (!k) throw new ApiFailure('NotFound', `unknown kind "${req.params.kind}"; known: ${Object.keys(KINDS).join(', ')}`)
  return k
}

/** Linearizable unless ?stale=true: wait until this node has applied everything committed before the request. */
async function barrier(a: Agent, req: ApiRequest): Promise<void> {
  if (req.query.get('stale') === 'true') return
  try {
    await a.driver.readIndex({ signal: AbortSignal.any([req.signal, AbortSignal.timeout(5_000)]) })
  } catch (err) {
    throw new ApiFailure('NoLeader', `cannot confirm a linearizable read right now (${(err as Error).message}); retry, or add ?stale=true`)
  }
}

export function render(o: StoredObject, apiVersion: string): Record<string, unknown> {
  const { metadata, ...rest } = o.object as { metadata?: Record<string, unknown> }
  return {
    apiVersion,
    kind: o.kind,
    metadata: { ...metadata, name: o.name, namespace: o.namespace, uid: o.uid, resourceVersion: String(o.resourceVersion), generation: o.generation, creationTimestamp: o.creationTimestamp },
    ...rest,
  }
}

async function list(a: Agent, req: ApiRequest) {
  const k = kindOf(req)
  await barrier(a, req)
  const items = a.state.store.list(k.kind, req.query.get('namespace') ?? undefined).map((o) => render(o, k.apiVersion))
  return { apiVersion: k.apiVersion, kind: `${k.kind}List`, metadata: { resourceVersion: String(a.state.applied) }, items }
}

async function get(a: Agent, req: ApiRequest) {
  const k = kindOf(req)
  await barrier(a, req)
  const o = a.state.store.get({ kind: k.kind, namespace: req.query.get('namespace') ?? 'default', name: req.params.name! })
  if (!o) throw new ApiFailure('NotFound', `${req.params.kind} "${req.params.name}" not found`)
  return render(o, k.apiVersion)
}

async function put(a: Agent, req: ApiRequest) {
  const k = kindOf(req)
  let body: Record<string, unknown>
  try {
    body = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>
  } catch (err) {
    throw new ApiFailure('BadRequest', `the body is not JSON: ${(err as Error).message}`)
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiFailure('BadRequest', 'the body must be a JSON object')
  const meta = (body.metadata ?? {}) as { namespace?: string; resourceVersion?: string; name?: string }
  if (meta.name !== undefined && meta.name !== req.params.name) throw new ApiFailure('BadRequest', `metadata.name "${meta.name}" does not match the URL's "${req.params.name}"`)
  const namespace = meta.namespace ?? req.query.get('namespace') ?? 'default'
  const { resourceVersion, ...userMeta } = meta
  const object = { ...body, metadata: { ...userMeta, name: req.params.name, namespace } }
  delete (object as Record<string, unknown>).apiVersion
  delete (object as Record<string, unknown>).kind
  const ifVersion = resourceVersion === undefined ? undefined : Number(resourceVersion)
  const { outcome } = await a.proposer.propose(
    { type: 'write', time: new Date().toISOString(), ops: [{ op: 'put', kind: k.kind, namespace, name: req.params.name!, object, uid: randomUUID(), ...(ifVersion === undefined ? {} : { ifVersion }) }] },
    { signal: req.signal },
  )
  if (outcome && !outcome.ok) throw new ApiFailure('Conflict', `${req.params.kind} "${req.params.name}" is at resourceVersion ${outcome.currentVersion}, not ${resourceVersion}`, { currentResourceVersion: String(outcome.currentVersion) })
  const stored = a.state.store.get({ kind: k.kind, namespace, name: req.params.name! })
  return { status: outcome?.ok && outcome.results[0] === 'created' ? 201 : 200, body: stored ? render(stored, k.apiVersion) : null }
}

async function remove(a: Agent, req: ApiRequest) {
  const k = kindOf(req)
  const namespace = req.query.get('namespace') ?? 'default'
  const rv = req.query.get('resourceVersion')
  const { outcome } = await a.proposer.propose(
    { type: 'write', time: new Date().toISOString(), ops: [{ op: 'delete', kind: k.kind, namespace, name: req.params.name!, ...(rv === null ? {} : { ifVersion: Number(rv) }) }] },
    { signal: req.signal },
  )
  if (outcome && !outcome.ok) {
    if (outcome.reason === 'notFound') throw new ApiFailure('NotFound', `${req.params.kind} "${req.params.name}" not found`)
    throw new ApiFailure('Conflict', `${req.params.kind} "${req.params.name}" is at resourceVersion ${outcome.currentVersion}, not ${rv}`)
  }
  return { status: 'deleted', name: req.params.name }
}
