import type { PutOp } from '../../state/commands.js'
import { objectKey } from '../../state/store.js'
import { commitWrite, refusal, type WriteResult } from './commit.js'
import type { ObjectApiDeps } from './context.js'
import { ApiFailure } from './errors.js'
import { isDryRun, putOp } from './object-input.js'
import { barrier, headerText, invalid, isYaml } from './routes-objects.js'
import { kindByName, parseManifests, validateDocument, type Issue, type ValidObject } from './resources.js'
import type { ApiRequest, Route } from './server.js'

export interface ApplyResult {
  readonly kind: string
  readonly namespace: string
  readonly name: string
  readonly action: Exclude<WriteResult, 'deleted'>
  readonly resourceVersion: string
}

/** POST /v1/apply: every document validated first, then all applied in one Raft entry, or none. */
export function applyRoutes(deps: () => ObjectApiDeps): Route[] {
  return [{ method: 'POST', path: '/v1/apply', name: 'apply', handler: async (req) => ({ body: await apply(deps(), req) }) }]
}

async function apply(deps: ObjectApiDeps, req: ApiRequest): Promise<{ results: ApplyResult[]; dryRun?: true }> {
  const objects = validated(req)
  const ops: PutOp[] = objects.map((v) => putOp(v, deps.secrets, deps.newUid()))
  if (isDryRun(req.query)) {
    await barrier(deps, req)
    const preview = deps.state.store.preview(ops)
    if (!preview.ok) throw refusal(preview)
    const results = ops.map((op, i) => {
      const current = deps.state.store.get(op)
      return result(objects[i]!, preview.results[i]!, current ? String(current.resourceVersion) : '')
    })
    return { results, dryRun: true }
  }
  const { results } = await commitWrite(deps, ops, req.gone)
  return {
    results: objects.map((v, i) => {
      const stored = deps.state.store.get(v)
      return result(v, results[i] as ApplyResult['action'], stored ? String(stored.resourceVersion) : '')
    }),
  }
}

function result(v: ValidObject, action: ApplyResult['action'], resourceVersion: string): ApplyResult {
  return { kind: v.kind, namespace: v.namespace, name: v.name, action, resourceVersion }
}

/** ?namespace=: the namespace of a namespaced object whose metadata names none (else "default", the validator's rule). */
function inNamespace(doc: unknown, namespace: string): unknown {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return doc
  const o = doc as Record<string, unknown>
  const meta = o.metadata
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta) || (meta as Record<string, unknown>).namespace) return doc
  if (!kindByName(String(o.kind ?? ''))?.namespaced) return doc
  return { ...o, metadata: { ...meta, namespace } }
}

/** Parses and validates every document; any problem in any of them fails the whole request with all the problems. */
function validated(req: ApiRequest): ValidObject[] {
  const source = headerText(req, 'x-podmesh-source') ?? 'request'
  const parsed = parseManifests(req.body.toString('utf8'), source, isYaml(req) ? 'yaml' : 'json')
  if (parsed.documents.length === 0 && parsed.issues.length === 0) throw new ApiFailure('BadRequest', 'the body holds no documents')
  // A document that does not parse does not hide the issues of those that do.
  const issues: Issue[] = [...parsed.issues]
  const objects: ValidObject[] = []
  const seen = new Map<string, string>()
  const namespace = req.query.get('namespace') || undefined
  for (const d of parsed.documents) {
    const v = validateDocument(namespace ? inNamespace(d.doc, namespace) : d.doc, d.label)
    if (!v.ok) {
      issues.push(...v.issues.map((i) => ({ ...i, document: i.document || d.label })))
      continue
    }
    const key = objectKey(v.object)
    const first = seen.get(key)
    if (first) issues.push({ document: d.label, path: 'metadata.name', reason: `${v.object.kind} "${v.object.name}" is also defined by ${first}` })
    seen.set(key, d.label)
    objects.push(v.object)
  }
  if (issues.length > 0) throw invalid(issues)
  return objects
}
