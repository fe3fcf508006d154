import type { ObjectKey, PutOp } from '../../state/commands.js'
import type { SecretBox } from '../../state/secret-box.js'
import { ApiFailure } from './errors.js'
import type { ValidObject } from './resources.js'

/** Metadata the user may set; the rest (uid, resourceVersion, generation, creationTimestamp) the cluster sets. */
const USER_METADATA = ['labels', 'annotations'] as const

/**
 * The object as stored from a validated document: apiVersion, kind and server-set metadata dropped,
 * stringData folded into data, and a Secret's data sealed so that only ciphertext enters the log.
 */
export function storedForm(v: ValidObject, secrets: SecretBox): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata, stringData, ...rest } = v.object as Record<string, unknown> & { metadata?: Record<string, unknown>; stringData?: Record<string, string> }
  const meta: Record<string, unknown> = { name: v.name, namespace: v.namespace }
  for (const f of USER_METADATA) if (metadata?.[f] !== undefined && Object.keys(metadata[f] as object).length > 0) meta[f] = metadata[f]
  const out: Record<string, unknown> = { metadata: meta, ...rest }
  if (v.kind !== 'ConfigMap' && v.kind !== 'Secret') return out
  const data: Record<string, string> = { ...(rest.data as Record<string, string> | undefined) }
  for (const [k, value] of Object.entries(stringData ?? {})) data[k] = v.kind === 'Secret' ? Buffer.from(value, 'utf8').toString('base64') : value
  if (v.kind === 'ConfigMap') {
    if (Object.keys(data).length > 0 || rest.data !== undefined) out.data = data
    return out
  }
  delete out.data
  out.sealedData = secrets.seal(v, data)
  return out
}

export function putOp(v: ValidObject, secrets: SecretBox, uid: string, ifVersion?: number): PutOp {
  const key: ObjectKey = { kind: v.kind, namespace: v.namespace, name: v.name }
  return { op: 'put', ...key, object: storedForm(v, secrets), uid, keepStatus: true, ...(ifVersion === undefined ? {} : { ifVersion }) }
}

/** A resourceVersion precondition from the body or the query: a non-negative integer. */
export function parseVersion(text: string | number | undefined | null, where: string): number | undefined {
  if (text === undefined || text === null || text === '') return undefined
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < 0) throw new ApiFailure('BadRequest', `${where} "${text}" is not a resourceVersion (a non-negative integer)`)
  return n
}

/**
 * ?dryRun= of POST /v1/apply: Kubernetes' "All", or "true". Any other value is refused rather than read as
 * "no": a misspelt dry run must not write.
 */
export function isDryRun(query: URLSearchParams): boolean {
  const v = query.get('dryRun')
  if (v === null) return false
  if (v === 'All' || v === 'true') return true
  throw new ApiFailure('BadRequest', `dryRun "${v}" is not a dry-run mode: use dryRun=All`)
}

/** PUT and DELETE write at once: a dry run (or a precondition where this route takes none) asked of them is refused, not ignored. */
export function refuseQuery(query: URLSearchParams, params: readonly { readonly name: string; readonly why: string }[]): void {
  for (const p of params) if (query.has(p.name)) throw new ApiFailure('BadRequest', `?${p.name}= is not taken here: ${p.why}`)
}
