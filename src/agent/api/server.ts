import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { timingSafeEqual } from 'node:crypto'
import type { Logger } from 'pino'
import { ApiFailure } from './errors.js'

export interface ApiRequest {
  readonly method: string
  readonly path: string
  readonly params: Readonly<Record<string, string>>
  readonly query: URLSearchParams
  readonly headers: IncomingMessage['headers']
  readonly body: Buffer
  readonly log: Logger
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal
}

/** A handler returns a JSON body (status 200 unless given), or takes the raw response over (streams). */
export type ApiResult = { readonly status?: number; readonly body: unknown } | { readonly streamed: true }
export type Handler = (req: ApiRequest, res: ServerResponse) => Promise<ApiResult>

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Path with `:name` segments, e.g. `/v1/:kind/:name`. */
  readonly path: string
  readonly name: string
  readonly handler: Handler
}

export interface ApiServerOptions {
  readonly host: string
  readonly port: number
  readonly routes: readonly Route[]
  readonly log: Logger
  /** Required as `Authorization: Bearer …` when set. */
  readonly bearerToken?: string
  readonly maxBodyBytes?: number
  /** Called after each request, for metrics. */
  readonly onRequest?: (route: string, method: string, status: number, seconds: number) => void
}

export interface ApiServer {
  readonly server: Server
  start(): Promise<{ host: string; port: number }>
  stop(): Promise<void>
}

export function createApiServer(opts: ApiServerOptions): ApiServer {
  const maxBody = opts.maxBodyBytes ?? 4 * 1024 * 1024
  const compiled = opts.routes.map((r) => ({ route: r, match: compilePath(r.path) }))
  let requestId = 0

  const server = createServer((req, res) => {
    const started = process.hrtime.bigint()
    const url = new URL(req.url ?? '/', 'http://agent')
    const log = opts.log.child({ req: ++requestId })
    let routeName = 'unmatched'
    const finish = (status: number) => opts.onRequest?.(routeName, req.method ?? '', status, Number(process.hrtime.bigint() - started) / 1e9)
    const abort = new AbortController()
    res.on('close', () => abort.abort())
    void (async () => {
      try {
        if (opts.bearerToken !== undefined && !authorized(req, opts.bearerToken)) throw new ApiFailure('Unauthorized')
        const found = findRoute(compiled, req.method ?? 'GET', url.pathname)
        routeName = found.route.name
        const body = await readBody(req, maxBody)
        const result = await found.route.handler(
          { method: req.method ?? 'GET', path: url.pathname, params: found.params, query: url.searchParams, headers: req.headers, body, log, signal: abort.signal },
          res,
        )
        if ('streamed' in result) return finish(res.statusCode)
        sendJson(res, result.status ?? 200, result.body)
        finish(result.status ?? 200)
      } catch (err) {
        const failure = err instanceof ApiFailure ? err : new ApiFailure('Internal', (err as Error).message)
        if (failure.code === 'Internal') log.error({ err }, 'request failed')
        if (!res.headersSent) sendJson(res, failure.status, { error: failure.code, message: failure.message, details: failure.details ?? null })
        else res.end()
        finish(failure.status)
      }
    })()
  })
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
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? ''
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '')
  const want = Buffer.from(token)
  return given.length === want.length && timingSafeEqual(given, want)
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > max) throw new ApiFailure('PayloadTooLarge', `the request body is ${declared} bytes; the limit is ${max}`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > max) throw new ApiFailure('PayloadTooLarge', `the request body is over the ${max}-byte limit`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

type PathMatcher = (path: string) => Record<string, string> | undefined

function compilePath(pattern: string): PathMatcher {
  const parts = pattern.split('/')
  return (path) => {
    const segs = path.split('/')
    if (segs.length !== parts.length) return undefined
    const params: Record<string, string> = {}
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!
      if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(segs[i]!)
      else if (p !== segs[i]) return undefined
    }
    return params
  }
}

function findRoute(compiled: { route: Route; match: PathMatcher }[], method: string, path: string) {
  let pathMatched = false
  for (const c of compiled) {
    const params = c.match(path)
    if (!params) continue
    pathMatched = true
    if (c.route.method === method) return { route: c.route, params }
  }
  throw new ApiFailure(pathMatched ? 'MethodNotAllowed' : 'NotFound', pathMatched ? `${method} is not allowed on ${path}` : `no route ${method} ${path}`)
}
