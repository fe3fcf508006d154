// A minimal NDJSON watch client over node:http, for tests.
import { request, type IncomingMessage } from 'node:http'

export interface WatchEvent {
  readonly type: string
  readonly object: { metadata: { name: string; resourceVersion: string }; data?: Record<string, string> } & Record<string, unknown>
}

export interface WatchStream {
  readonly status: number
  readonly events: WatchEvent[]
  /** Resolves once at least n events arrived (rejects after timeoutMs). */
  waitFor(n: number, timeoutMs?: number): Promise<WatchEvent[]>
  readonly ended: Promise<void>
  close(): void
  /** The error body when status is not 200. */
  readonly body: string
}

export function openWatch(base: string, path: string, headers: Record<string, string> = {}): Promise<WatchStream> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { headers }, (res: IncomingMessage) => {
      const events: WatchEvent[] = []
      let buf = ''
      let body = ''
      const waiters: (() => void)[] = []
      let endResolve!: () => void
      const ended = new Promise<void>((r) => (endResolve = r))
      res.setEncoding('utf8')
      res.on('data', (d: string) => {
        if (res.statusCode !== 200) return void (body += d)
        buf += d
        let nl: number
        while ((nl = buf.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buf.slice(0, nl)) as WatchEvent)
          buf = buf.slice(nl + 1)
        }
        for (const w of waiters.splice(0)) w()
      })
      res.on('end', () => endResolve())
      res.on('close', () => endResolve())
      const stream: WatchStream = {
        status: res.statusCode ?? 0,
        events,
        get body() {
          return body
        },
        ended,
        close: () => req.destroy(),
        waitFor: async (n, timeoutMs = 20_000) => {
          const deadline = Date.now() + timeoutMs
          while (events.length < n) {
            if (Date.now() > deadline) throw new Error(`watch ${path}: ${events.length} of ${n} events within ${timeoutMs} ms`)
            await Promise.race([new Promise<void>((r) => waiters.push(r)), new Promise((r) => setTimeout(r, 200)), ended])
          }
          return events.slice(0, n)
        },
      }
      resolve(stream)
    })
    req.on('error', reject)
    req.end()
  })
}
