// The client commands' HTTP calls to an agent's API. Every failure becomes an ApiError with a message a
// user can act on. Also sends extra headers (apply's x-podmesh-source) and reads watch streams line by line.
import { ApiError } from './errors.js'
import type { ClientFlags } from './cli-client.js'

export interface RequestOptions {
  readonly body?: string
  readonly contentType?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly signal?: AbortSignal
  /** Default 30 s; a watch passes none and relies on `signal`. */
  readonly timeoutMs?: number | null
}

export class ApiClient {
  constructor(private readonly flags: ClientFlags) {}

  get server(): string {
    return this.flags.server
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, opts)
    const text = await res.text()
    return (text === '' ? undefined : parseBody(text)) as T
  }

  /** GET a newline-delimited JSON stream; yields each line parsed, until the server or `signal` ends it. */
  async *lines(path: string, signal?: AbortSignal): AsyncGenerator<unknown> {
    const res = await this.send('GET', path, { timeoutMs: null, ...(signal ? { signal } : {}) })
    if (!res.body) return
    const decoder = new TextDecoder()
    let buffered = ''
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffered += decoder.decode(chunk, { stream: true })
        let nl: number
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim()
          buffered = buffered.slice(nl + 1)
          if (line !== '') yield parseBody(line)
        }
      }
    } catch (err) {
      if (signal?.aborted) return
      throw new ApiError(`the watch stream from ${this.flags.server} broke: ${(err as Error).message}`, 0, 'Unreachable')
    }
  }

  /** GET a byte stream (pod logs); yields chunks as they arrive, until the server or `signal` ends it. */
  async *bytes(path: string, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    const res = await this.send('GET', path, { timeoutMs: null, ...(signal ? { signal } : {}) })
    if (!res.body) return
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) yield chunk
    } catch (err) {
      if (signal?.aborted) return
      throw new ApiError(`the stream from ${this.flags.server} broke: ${(err as Error).message}`, 0, 'Unreachable')
    }
  }

  private async send(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { ...opts.headers }
    if (this.flags.apiToken) headers.authorization = `Bearer ${this.flags.apiToken}`
    if (opts.body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json'
    const timeout = opts.timeoutMs === null ? undefined : AbortSignal.timeout(opts.timeoutMs ?? 30_000)
    const signals = [timeout, opts.signal].filter((s): s is AbortSignal => s !== undefined)
    let res: Response
    try {
      res = await fetch(new URL(path, this.flags.server), {
        method,
        headers,
        ...(opts.body === undefined ? {} : { body: opts.body }),
        ...(signals.length ? { signal: AbortSignal.any(signals) } : {}),
      })
    } catch (err) {
      throw unreachable(this.flags.server, err)
    }
    if (!res.ok) {
      const e = (parseBody(await res.text()) ?? {}) as { error?: string; message?: string; details?: unknown }
      throw new ApiError(e.message ?? `${res.status} ${res.statusText}`, res.status, e.error ?? 'Unknown', e.details ?? undefined)
    }
    return res
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined
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

/** `/v1/pods?namespace=x&labelSelector=y`, leaving out what is undefined. */
export function apiPath(base: string, query: Readonly<Record<string, string | undefined>>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, v)
  const s = q.toString()
  return s ? `${base}?${s}` : base
}
