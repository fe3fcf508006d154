import type { DeleteOp, PutOp } from '../../state/commands.js'
import type { WriteOutcome } from '../../state/store.js'
import type { ObjectApiDeps } from './context.js'
import type { Cancellation } from './server.js'
import { ApiFailure } from './errors.js'
import { kindByName } from './resources.js'

export type WriteResult = 'created' | 'configured' | 'unchanged' | 'deleted'

/** Commits ops as one Raft entry (all or nothing) and turns a refusal into the matching API error. */
export async function commitWrite(deps: ObjectApiDeps, ops: readonly (PutOp | DeleteOp)[], signal?: Cancellation): Promise<{ index: number; results: readonly WriteResult[] }> {
  const { index, outcome } = await deps.propose({ type: 'write', time: deps.now().toISOString(), ops }, signal ? { signal } : {})
  if (!outcome) throw new ApiFailure('Indeterminate', `the write was committed at index ${index} but its outcome is not known on this node; read the objects before retrying`, { index })
  if (!outcome.ok) throw refusal(outcome)
  return { index, results: outcome.results }
}

/** A write the cluster state refused, as the API error that says why. */
export function refusal(o: Extract<WriteOutcome, { ok: false }>): ApiFailure {
  const named = `${kindByName(o.key.kind)?.plural ?? o.key.kind} "${o.key.name}"`
  const inNamespace = o.key.namespace ? ` in namespace "${o.key.namespace}"` : ''
  // The wording of a GET of a missing object (routes-objects.ts), so that get and delete say the same.
  if (o.reason === 'notFound') return new ApiFailure('NotFound', `${named} not found${inNamespace}`)
  const what = named + inNamespace
  if (o.reason === 'invalid' && o.issue) {
    const issues = [{ document: `${o.key.kind} ${o.key.namespace ? `${o.key.namespace}/` : ''}${o.key.name}`, ...o.issue }]
    return new ApiFailure('Invalid', `${what} is invalid: ${o.issue.path}: ${o.issue.reason}; nothing was applied`, { issues })
  }
  if (o.reason === 'invalid') return new ApiFailure('Invalid', `${o.message ?? 'refused by the cluster state'}; nothing was applied`)
  const now = o.currentVersion === 0 ? 'does not exist' : `is at resourceVersion ${o.currentVersion}`
  return new ApiFailure('Conflict', `${what} ${now}: it changed since the resourceVersion given; read it again and retry`, { currentResourceVersion: String(o.currentVersion) })
}
