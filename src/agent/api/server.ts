import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { timingSafeEqual } from 'node:crypto'
import type { Logger } from 'pino'
import { ApiFailure } from './errors.js'

export interface ApiRequest {
  readonly method: string
  readonly path: string
  readonly params: Readonly<Record<string, string>>
  readonly query: URLSearchParams
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
  /** A child logger carrying the request id (made on first use). */
  readonly log: Logger
  /** Aborted when the client goes away (made on first use). */
  readonly signal: AbortSignal
  /** The same news as a flag: enough for a loop that checks between retries, and free to make. */
  readonly gone: Cancellation
}

/** What a retry loop checks to stop early: an AbortSignal is one. */
export interface Cancellation {
  readonly aborted: boolean
}

/** The part of a response a handler may use to stream (watch); http.ServerResponse is one. */
export interface ResponseSink {
  readonly headersSent: boolean
  statusCode: number
  writeHead(status: number, headers: Record<string, string | number>): unknown
  write(chunk: string | Uint8Array): boolean
  end(chunk?: string): unknown
  on(event: 'close', listener: () => void): unknown
  /** After a write returned false: 'drain' says the client took it (backpressure for byte streams, e.g. pod logs). */
  once?(event: 'drain', listener: () => void): unknown
  /** Sends the head now (a stream that may stay quiet a while). */
  flushHeaders?(): void
  /** Cuts a started answer off without its end, so the client sees it broke rather than a clean end. */
  destroy?(): unknown
}

/** A handler returns a JSON body (status 200 unless given), the same already serialized, or takes the raw response over (streams). */
export type ApiResult = { readonly status?: number; readonly body: unknown } | { readonly status?: number; readonly json: string } | { readonly streamed: true }
export type Handler = (req: ApiRequest, res: ResponseSink) => Promise<ApiResult>

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Path with `:name` segments, e.g. `/v1/:kind/:name`. */
  readonly path: string
  readonly name: string
  readonly handler: Handler
}

/** What the server reads of an incoming request; http.IncomingMessage is one. */
export interface RequestSource extends AsyncIterable<unknown> {
  readonly method?: string | undefined
  readonly url?: string | undefined
  readonly headers: IncomingHttpHeaders
}

export interface ApiServerOptions {
  readonly host: string
  readonly port: number
  readonly routes: readonly Route[]
  readonly log: Logger
  /** Required as `Authorization: Bearer …` when set. */
  readonly bearerToken?: string
  /** Default 4 MiB. */
  readonly maxBodyBytes?: number
  /** Called after each request, for metrics. */
  readonly onRequest?: (route: string, method: string, status: number, seconds: number) => void
}

export interface InjectRequest {
  readonly method: string
  readonly url: string
  readonly headers?: IncomingHttpHeaders
  readonly body?: string | Buffer
}

export interface InjectResponse {
  readonly status: number
  readonly headers: Record<string, string | number>
  readonly text: string
  json<T = unknown>(): T
}

export interface ApiServer {
  readonly server: Server
  start(): Promise<{ host: string; port: number }>
  stop(): Promise<void>
  /** Serves one request in-process, without a socket (tests). */
  inject(req: InjectRequest): Promise<InjectResponse>
}

export function createApiServer(opts: ApiServerOptions): ApiServer {
  const dispatch = createDispatcher(opts)
  const server = createServer((req, res) => void dispatch(req, res))
  server.keepAliveTimeout = 65_000
  return {
    server,
    start: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(opts.port, opts.host, () => {
          server.off('error', reject)
          const a = server.address()
          resolve(typeof a === 'object' && a ? { host: a.address, port: a.port } : { host: opts.host, port: opts.port })
        })
      }),
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
    inject: (r) => inject(dispatch, r),
  }
}

type Dispatch = (req: RequestSource, res: ResponseSink) => Promise<void>

/** Routing, auth, body limit and error mapping, independent of sockets. */
export function createDispatcher(opts: ApiServerOptions): Dispatch {
  const maxBody = opts.maxBodyBytes ?? 4 * 1024 * 1024
  const compiled = opts.routes.map((r) => ({ route: r, match: compilePath(r.path) }))
  let requestId = 0
  return async (req, res) => {
    const started = opts.onRequest ? performance.now() : 0
    const method = req.method ?? 'GET'
    let routeName = 'unmatched'
    const finish = (status: number) => opts.onRequest?.(routeName, method, status, (performance.now() - started) / 1000)
    const ctx = new RequestContext(opts.log, ++requestId, res)
    try {
      if (opts.bearerToken !== undefined && !authorized(req.headers, opts.bearerToken)) throw new ApiFailure('Unauthorized')
      const url = req.url ?? '/'
      const q = url.indexOf('?')
      const path = q < 0 ? url : url.slice(0, q)
      const found = findRoute(compiled, method, path)
      routeName = found.route.name
      const body = await readBody(req, maxBody)
      const apiReq = ctx.request(method, path, found.params, new URLSearchParams(q < 0 ? '' : url.slice(q + 1)), req.headers, body)
      const result = await found.route.handler(apiReq, res)
      if ('streamed' in result) return finish(res.statusCode)
      ctx.answered()
      sendText(res, result.status ?? 200, 'json' in result ? result.json : JSON.stringify(result.body))
      finish(result.status ?? 200)
    } catch (err) {
      ctx.answered()
      const failure = err instanceof ApiFailure ? err : new ApiFailure('Internal', (err as Error).message)
      if (failure.code === 'Internal') ctx.log.error({ err }, 'request failed')
      if (!res.headersSent) sendJson(res, failure.status, { error: failure.code, message: failure.message, details: failure.details ?? null })
      else res.end()
      finish(failure.status)
    }
  }
}

/** The per-request logger and abort signal cost allocations most requests never need: made on first use. */
class RequestContext implements Cancellation {
  private logger: Logger | undefined
  private controller: AbortController | undefined
  private closed = false
  /** Set once the answer is being written: a close after that is the normal end, not a client going away. */
  private done = false

  constructor(
    private readonly base: Logger,
    private readonly id: number,
    res: ResponseSink,
  ) {
    res.on('close', () => {
      this.closed = true
      if (!this.done) this.controller?.abort()
    })
  }

  answered(): void {
    this.done = true
  }

  get aborted(): boolean {
    return this.closed && !this.done
  }

  get log(): Logger {
    return (this.logger ??= this.base.child({ req: this.id }))
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController()
      if (this.closed && !this.done) this.controller.abort()
    }
    return this.controller.signal
  }

  request(method: string, path: string, params: Record<string, string>, query: URLSearchParams, headers: IncomingHttpHeaders, body: Buffer): ApiRequest {
    const ctx = this
    return {
      method,
      path,
      params,
      query,
      headers,
      body,
      get log() {
        return ctx.log
      },
      get signal() {
        return ctx.signal
      },
      gone: ctx,
    }
  }
}

export function sendJson(res: ResponseSink, status: number, body: unknown): void {
  sendText(res, status, JSON.stringify(body))
}

function sendText(res: ResponseSink, status: number, json: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) })
  res.end(json)
}

function authorized(headers: IncomingHttpHeaders, token: string): boolean {
  const header = headers.authorization ?? ''
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '')
  const want = Buffer.from(token)
  return given.length === want.length && timingSafeEqual(given, want)
}

const EMPTY = Buffer.alloc(0)

async function readBody(req: RequestSource, max: number): Promise<Buffer> {
  const declared = req.headers['content-length']
  if ((declared === undefined || declared === '0') && req.headers['transfer-encoding'] === undefined) return EMPTY
  if (Number(declared ?? 0) > max) throw new ApiFailure('PayloadTooLarge', `the request body is ${declared} bytes; the limit is ${max}`)
  const chunks: Buffer[] = []
  let size = 0
  const take = (b: Buffer) => {
    size += b.length
    if (size > max) throw new ApiFailure('PayloadTooLarge', `the request body is over the ${max}-byte limit`)
    chunks.push(b)
  }
  if (isEventSource(req)) await readEvents(req, take)
  else for await (const chunk of req) take(chunk as Buffer)
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
}

/** A socket's request (http.IncomingMessage): its events cost a fraction of the stream's async iterator. */
interface EventSource {
  on(event: 'data', l: (b: Buffer) => void): unknown
  on(event: 'end' | 'close', l: () => void): unknown
  on(event: 'error', l: (e: Error) => void): unknown
  removeAllListeners(event: 'data'): unknown
  resume(): unknown
}

function isEventSource(req: RequestSource): req is RequestSource & EventSource {
  return typeof (req as Partial<EventSource>).on === 'function' && typeof (req as Partial<EventSource>).resume === 'function'
}

function readEvents(req: EventSource, take: (b: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    req.on('data', (b) => {
      try {
        take(b)
      } catch (err) {
        // Over the limit: stop collecting, let the rest drain so the connection can answer 413.
        req.removeAllListeners('data')
        req.resume()
        reject(err as Error)
      }
    })
    let ended = false
    req.on('end', () => {
      ended = true
      resolve()
    })
    req.on('error', reject)
    // A settled promise ignores this after 'end'; before it, the client went away mid-body.
    req.on('close', () => ended || reject(new ApiFailure('BadRequest', 'the client closed the connection before sending the whole body')))
  })
}

/** Matches a path already split at '/' (split once per request, not once per route). */
type PathMatcher = (segs: readonly string[]) => Record<string, string> | undefined

function compilePath(pattern: string): PathMatcher {
  const parts = pattern.split('/')
  return (segs) => {
    if (segs.length !== parts.length) return undefined
    const params: Record<string, string> = {}
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!
      if (p.startsWith(':')) {
        try {
          params[p.slice(1)] = decodeURIComponent(segs[i]!)
        } catch {
          throw new ApiFailure('BadRequest', `malformed path segment "${segs[i]}"`)
        }
      } else if (p !== segs[i]) return undefined
    }
    return params
  }
}

function findRoute(compiled: { route: Route; match: PathMatcher }[], method: string, path: string) {
  let pathMatched = false
  const segs = path.split('/')
  // A fixed path (/v1/apply) is that route's whatever the method: GET /v1/apply is 405, not a kind "apply".
  for (const fixed of [true, false]) {
    for (const c of compiled) {
      if (c.route.path.includes(':') === fixed) continue
      const params = c.match(segs)
      if (!params) continue
      pathMatched = true
      if (c.route.method === method) return { route: c.route, params }
    }
    if (pathMatched) break
  }
  throw new ApiFailure(pathMatched ? 'MethodNotAllowed' : 'NotFound', pathMatched ? `${method} is not allowed on ${path}` : `no route ${method} ${path}`)
}

/** A response that records what the dispatcher writes. */
class RecordedResponse {
  headersSent = false
  statusCode = 200
  headers: Record<string, string | number> = {}
  text = ''
  private closeListeners: (() => void)[] = []
  private resolveDone!: () => void
  readonly done = new Promise<void>((r) => (this.resolveDone = r))

  writeHead(status: number, headers: Record<string, string | number>): this {
    this.statusCode = status
    this.headers = headers
    this.headersSent = true
    return this
  }

  private readonly decoder = new TextDecoder()

  write(chunk: string | Uint8Array): boolean {
    this.headersSent = true
    this.text += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true })
    return true
  }

  end(chunk?: string): this {
    if (chunk !== undefined) this.text += chunk
    this.headersSent = true
    for (const l of this.closeListeners) l()
    this.resolveDone()
    return this
  }

  on(_event: 'close', listener: () => void): this {
    this.closeListeners.push(listener)
    return this
  }
}

async function inject(dispatch: Dispatch, r: InjectRequest): Promise<InjectResponse> {
  const body = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body)
  const headers: IncomingHttpHeaders = { ...r.headers }
  if (body) headers['content-length'] = String(body.length)
  const req: RequestSource = {
    method: r.method,
    url: r.url,
    headers,
    async *[Symbol.asyncIterator]() {
      if (body) yield body
    },
  }
  const res = new RecordedResponse()
  await dispatch(req, res)
  await res.done
  return { status: res.statusCode, headers: res.headers, text: res.text, json: <T>() => JSON.parse(res.text) as T }
}
