// One HTTP exchange with an agent's API, never throwing: the answer or the error, for classification.
import type { HttpResult } from './outcome.js'

export async function httpJson(method: string, url: string, body: unknown, timeoutMs: number): Promise<HttpResult> {
  try {
    const res = await fetch(url, {
      method,
      signal: AbortSignal.timeout(timeoutMs),
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    })
    const text = await res.text()
    let parsed: unknown = undefined
    try {
      parsed = text.length > 0 ? JSON.parse(text) : undefined
    } catch {
      parsed = text
    }
    return { kind: 'response', status: res.status, body: parsed }
  } catch (error) {
    return { kind: 'error', error }
  }
}
