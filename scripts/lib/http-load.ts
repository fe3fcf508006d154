// A lean HTTP/1.1 keep-alive load client for the benchmarks: one socket per concurrent client, one request
// in flight per socket. fetch() costs about half a millisecond of CPU per request, which on this 2-core
// machine would measure the client instead of the agent.
import { connect, type Socket } from 'node:net'

export interface LoadRequest {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE'
  readonly path: string
  readonly body?: string
}

export interface LoadResult {
  readonly ok: number
  readonly failed: number
  readonly seconds: number
  /** Sorted latencies of successful requests, in ms. */
  readonly latencies: Float64Array
  readonly statuses: ReadonlyMap<number, number>
}

class Connection {
  private buf: Buffer = Buffer.alloc(0)
  private waiter: ((r: { status: number; body: Buffer }) => void) | undefined
  private failer: ((e: Error) => void) | undefined

  private constructor(private readonly socket: Socket, private readonly host: string) {
    socket.setNoDelay(true)
    socket.on('data', (d: Buffer) => {
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d])
      this.parse()
    })
    socket.on('error', (e) => this.failer?.(e))
    socket.on('close', () => this.failer?.(new Error('connection closed')))
  }

  static open(host: string, port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port }, () => resolve(new Connection(s, `${host}:${port}`)))
      s.once('error', reject)
    })
  }

  request(r: LoadRequest): Promise<{ status: number; body: Buffer }> {
    const body = r.body === undefined ? '' : r.body
    const head = `${r.method} ${r.path} HTTP/1.1\r\nhost: ${this.host}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`
    return new Promise((resolve, reject) => {
      this.waiter = resolve
      this.failer = reject
      this.socket.write(head + body)
    })
  }

  private parse(): void {
    const end = this.buf.indexOf('\r\n\r\n')
    if (end < 0 || !this.waiter) return
    const head = this.buf.subarray(0, end).toString('latin1')
    const status = Number(head.slice(9, 12))
    const m = /content-length: *(\d+)/i.exec(head)
    const len = m ? Number(m[1]) : 0
    if (this.buf.length < end + 4 + len) return
    const body = this.buf.subarray(end + 4, end + 4 + len)
    this.buf = this.buf.subarray(end + 4 + len)
    const w = this.waiter
    this.waiter = undefined
    this.failer = undefined
    w({ status, body })
  }

  close(): void {
    this.socket.destroy()
  }
}

/** Runs `clients` loops for `seconds`, each sending next(client, i) and waiting for the answer. */
export async function runLoad(opts: { host: string; port: number; clients: number; seconds: number; next: (client: number, i: number) => LoadRequest }): Promise<LoadResult> {
  const conns = await Promise.all(Array.from({ length: opts.clients }, () => Connection.open(opts.host, opts.port)))
  const latencies: number[] = []
  const statuses = new Map<number, number>()
  let failed = 0
  const started = performance.now()
  const end = started + opts.seconds * 1000
  await Promise.all(
    conns.map(async (c, client) => {
      for (let i = 0; performance.now() < end; i++) {
        const t0 = performance.now()
        try {
          const { status } = await c.request(opts.next(client, i))
          statuses.set(status, (statuses.get(status) ?? 0) + 1)
          if (status >= 200 && status < 300) latencies.push(performance.now() - t0)
          else failed++
        } catch {
          failed++
          return
        }
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  for (const c of conns) c.close()
  return { ok: latencies.length, failed, seconds, latencies: Float64Array.from(latencies).sort(), statuses }
}
