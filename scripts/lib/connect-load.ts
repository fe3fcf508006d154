// A load client that opens a new TCP connection per request (HTTP/1.0, the server closes), as clients of
// a service during a rollout do: every request is routed afresh, so a request fails only if the routing
// sends it to a pod that cannot answer. Used by the rollout tests and scripts/bench-rollout.ts.
import { connect } from 'node:net'

export interface Target {
  readonly host: string
  readonly port: number
  readonly path?: string
}

export interface Failure {
  /** ms since the load started. */
  readonly at: number
  readonly error: string
}

export interface ConnectLoadResult {
  readonly ok: number
  readonly failed: number
  readonly failures: readonly Failure[]
  /** Sorted latencies of the successful requests, ms. */
  readonly latencies: Float64Array
}

/** One request on a new connection: resolves the status code, rejects on a connection error or timeout. */
export function requestOnce(t: Target, timeoutMs = 5_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: t.host, port: t.port })
    const chunks: Buffer[] = []
    s.setNoDelay(true)
    s.setTimeout(timeoutMs, () => s.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    s.on('connect', () => s.end(`GET ${t.path ?? '/'} HTTP/1.0\r\nhost: ${t.host}\r\n\r\n`))
    s.on('data', (d: Buffer) => chunks.push(d))
    s.on('error', reject)
    s.on('close', () => {
      const head = Buffer.concat(chunks).subarray(0, 16).toString('latin1')
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head)
      if (m) resolve(Number(m[1]))
      else reject(new Error(chunks.length === 0 ? 'connection closed with no answer' : `not an HTTP answer: ${JSON.stringify(head)}`))
    })
  })
}

/**
 * Runs `clients` loops until `signal` aborts (or `count` requests per client), each sending one request
 * at a time, `pauseMs` apart. A failure is a connection error or any status other than 200.
 */
export async function connectLoad(t: Target, opts: { clients: number; signal?: AbortSignal; count?: number; pauseMs?: number }): Promise<ConnectLoadResult> {
  const started = performance.now()
  const latencies: number[] = []
  const failures: Failure[] = []
  const loop = async () => {
    for (let i = 0; opts.count === undefined || i < opts.count; i++) {
      if (opts.signal?.aborted) return
      const t0 = performance.now()
      try {
        const status = await requestOnce(t)
        if (status === 200) latencies.push(performance.now() - t0)
        else failures.push({ at: Math.round(t0 - started), error: `HTTP ${status}` })
      } catch (err) {
        failures.push({ at: Math.round(t0 - started), error: (err as Error).message })
      }
      if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs))
    }
  }
  await Promise.all(Array.from({ length: opts.clients }, loop))
  return { ok: latencies.length, failed: failures.length, failures, latencies: Float64Array.from(latencies).sort() }
}

/** The q-quantile (0..1) of sorted values. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
}
