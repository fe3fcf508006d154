// A scripted stand-in for the agent API on 127.0.0.1, recording every request, for the CLI
// commands' in-process tests. Each handler answers one `METHOD /path` (query excluded).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

export interface Recorded {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

export type FakeHandler = (req: Recorded, res: ServerResponse) => void | Promise<void>

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

export function apiError(res: ServerResponse, status: number, error: string, message: string, details: unknown = null): void {
  json(res, status, { error, message, details })
}

export interface FakeApi {
  readonly server: string
  readonly requests: Recorded[]
  on(route: string, handler: FakeHandler): void
  close(): Promise<void>
}

export async function fakeApi(): Promise<FakeApi> {
  const handlers = new Map<string, FakeHandler>()
  const requests: Recorded[] = []
  const srv = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const r: Recorded = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
      requests.push(r)
      const h = handlers.get(`${r.method} ${r.path}`)
      if (!h) return apiError(res, 404, 'NotFound', `no route ${r.method} ${r.path}`)
      void Promise.resolve(h(r, res)).catch((err: Error) => apiError(res, 500, 'Internal', err.message))
    })
  })
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const addr = srv.address() as { port: number }
  return {
    server: `http://127.0.0.1:${addr.port}`,
    requests,
    on: (route, handler) => void handlers.set(route, handler),
    close: () =>
      new Promise((resolve) => {
        srv.closeAllConnections()
        srv.close(() => resolve())
      }),
  }
}
