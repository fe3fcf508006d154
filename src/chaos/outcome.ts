// What one HTTP exchange of the workload means for the history: ok, fail (surely no effect) or
// unknown (it may have taken effect). Pure; the table is the contract of the agent's API errors.
import type { RegisterOutput, RegisterValue } from './register-model.js'

/** What the client got: an HTTP answer, or an error before any answer. */
export type HttpResult =
  | { readonly kind: 'response'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'error'; readonly error: unknown }

/**
 * Socket errors that mean the request never reached a server: the connection was refused or could
 * not be opened. Anything else after the request may have been sent (a reset, a timeout, "other side
 * closed") leaves the outcome unknown.
 */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EADDRNOTAVAIL', 'ENETUNREACH', 'EHOSTUNREACH', 'ENOTFOUND', 'UND_ERR_CONNECT_TIMEOUT'])

/** The error code of a fetch failure, looking through `cause` (undici wraps socket errors). */
export function errorCode(err: unknown): string | undefined {
  let e = err as { code?: unknown; name?: unknown; cause?: unknown } | undefined
  for (let depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (typeof e.code === 'string') return e.code
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return e.name
    e = e.cause as typeof e
  }
  return undefined
}

export function requestNotSent(err: unknown): boolean {
  const code = errorCode(err)
  return code !== undefined && NOT_SENT_CODES.has(code)
}

/** The API's error code (`{error: "NoLeader", …}`), when the body carries one. */
export function apiErrorCode(body: unknown): string | undefined {
  const code = (body as { error?: unknown } | null | undefined)?.error
  return typeof code === 'string' ? code : undefined
}

/** The register value stored in a ConfigMap body (`data.value`), null when absent. */
export function valueOf(body: unknown): RegisterValue {
  const v = (body as { data?: { value?: unknown } } | null | undefined)?.data?.value
  return typeof v === 'string' || typeof v === 'number' ? v : null
}

export function resourceVersionOf(body: unknown): string | undefined {
  const rv = (body as { metadata?: { resourceVersion?: unknown } } | null | undefined)?.metadata?.resourceVersion
  return typeof rv === 'string' ? rv : undefined
}

/** GET /v1/configmaps/NAME. A read has no effect, so anything but an answer is just `fail`. */
export function classifyRead(r: HttpResult): RegisterOutput {
  if (r.kind === 'error') return { type: 'fail' }
  if (r.status === 200) return { type: 'ok', value: valueOf(r.body) }
  if (r.status === 404 && apiErrorCode(r.body) === 'NotFound') return { type: 'ok', value: null }
  return { type: 'fail' }
}

/**
 * PUT /v1/configmaps/NAME, a blind write or (with a resourceVersion) a compare-and-set.
 *   200/201                 ok
 *   409 Conflict            fail, and for a cas an observation: the expected value was not there
 *   503 NoLeader            fail: no leader took the write before the time limit
 *   503 Indeterminate, 504  unknown: it reached a leader, the answer was lost
 *   other 4xx               fail (the request was refused as it stands)
 *   500, other 5xx          unknown
 *   refused connection      fail; any other socket error or a timeout: unknown
 */
export function classifyWrite(r: HttpResult, cas: boolean): RegisterOutput {
  if (r.kind === 'error') return requestNotSent(r.error) ? { type: 'fail' } : { type: 'unknown' }
  if (r.status === 200 || r.status === 201) return { type: 'ok' }
  const code = apiErrorCode(r.body)
  if (r.status === 409 && code === 'Conflict') return cas ? { type: 'fail', conflict: true } : { type: 'fail' }
  if (r.status === 503 && code === 'NoLeader') return { type: 'fail' }
  if (r.status >= 400 && r.status < 500) return { type: 'fail' }
  return { type: 'unknown' }
}

/** A short account of a result for the history: `503 NoLeader`, `ECONNREFUSED`, `TimeoutError`. */
export function describeResult(r: HttpResult): string {
  if (r.kind === 'error') return errorCode(r.error) ?? String((r.error as Error)?.message ?? r.error)
  const code = apiErrorCode(r.body)
  return code === undefined ? String(r.status) : `${r.status} ${code}`
}
