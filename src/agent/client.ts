import { ApiError } from './errors.js'

export interface ClientOptions {
  /** Base URL of an agent's API, e.g. http://127.0.0.1:7070 */
  readonly server: string
  readonly token?: string
  readonly timeoutMs?: number
}

/** A thin client of the agent's HTTP API; every failure becomes an ApiError with a message a user can act on. */
export class ApiClient {
  constructor(private readonly opts: ClientOptions) {}

  async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const url = new URL(path, this.opts.server)
    const headers: Record<string, string> = {}
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`
    let payload: string | undefined
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body)
      headers['content-type'] = contentType
    }
    let res: Response
    try {
      res = await fetch(url, { method, headers, body: payload, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000) })
    } catch (err) {
      throw unreachable(this.opts.server, err)
    }
    const text = await res.text()
    const parsed = text === '' ? undefined : safeJson(text)
    if (!res.ok) {
      const e = (parsed ?? {}) as { error?: string; message?: string; details?: unknown }
      throw new ApiError(e.message ?? `${res.status} ${res.statusText}`, res.status, e.error ?? 'Unknown', e.details)
    }
    return parsed as T
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return { message: text }
  }
}

function unreachable(server: string, err: unknown): ApiError {
  const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name
  const hint =
    cause === 'ECONNREFUSED'
      ? `no agent answers at ${server}: start one with \`agent start\`, or point --server (PODMESH_SERVER) at a running agent`
      : cause === 'TimeoutError'
        ? `the agent at ${server} did not answer in time`
        : `cannot reach the agent at ${server} (${cause})`
  return new ApiError(hint, 0, 'Unreachable')
}
