// One client connection through the routing mesh: pick an endpoint, connect (short timeout), and pipe
// the sockets both ways. Until the endpoint sends its first byte, what the client sent is kept (up to
// `replayBytes`), so a connection that fails, times out, or is closed or reset before answering (a pod
// killed or deleted a moment ago) is tried again on another endpoint with the same bytes: HAProxy's
// `retry-on conn-failure empty-response`. After the first byte it is plain socket piping. A spare
// connection to the endpoint (spares.ts), when there is one, stands in for the connect.
import { connect, type Socket } from 'node:net'
import type { PortCounters } from './counters.js'
import type { Endpoint } from './endpoints.js'
import { endpointKey, type EndpointPicker } from './picker.js'
import type { SpareConnections } from './spares.js'

export interface ForwardOptions {
  /** Default 500 ms. */
  readonly connectTimeoutMs?: number
  /** Endpoints tried per connection. Default 4. */
  readonly maxAttempts?: number
  /** Client bytes kept for a retry until the endpoint answers. Default 64 KiB. */
  readonly replayBytes?: number
}

export interface ForwardDeps {
  readonly endpoints: () => readonly Endpoint[]
  readonly picker: EndpointPicker
  readonly counters: PortCounters
  /** Absent: every attempt connects afresh. */
  readonly spares?: SpareConnections
  readonly onFailure?: (why: string) => void
}

/** A connection to an endpoint, set up as the mesh forwards over it (spares too: they stand in for it). */
export function dialEndpoint(e: Endpoint): Socket {
  return connect({ host: e.ip, port: e.port, noDelay: true, allowHalfOpen: true })
}

export function forward(client: Socket, deps: ForwardDeps, opts: ForwardOptions = {}): void {
  new Forwarding(client, deps, opts.connectTimeoutMs ?? 500, opts.maxAttempts ?? 4, opts.replayBytes ?? 64 * 1024).start()
}

class Forwarding {
  private readonly tried = new Set<string>()
  private readonly sent: Buffer[] = []
  private sentBytes = 0
  private replayable = true
  private clientEnded = false
  private upstream: Socket | undefined
  /** The endpoint that answered: the connection is piped to it. */
  private answered: Endpoint | undefined
  private done = false

  constructor(
    private readonly client: Socket,
    private readonly deps: ForwardDeps,
    private readonly connectTimeoutMs: number,
    private readonly maxAttempts: number,
    private readonly replayBytes: number,
  ) {}

  start(): void {
    const c = this.client
    this.deps.counters.connections++
    this.deps.counters.active++
    c.setNoDelay(true)
    c.on('data', this.onClientData)
    c.on('end', this.onClientEnd)
    c.on('error', () => this.finish())
    c.on('close', () => this.finish())
    this.attempt()
  }

  private readonly onClientData = (chunk: Buffer): void => {
    const up = this.upstream
    const connected = up !== undefined && up.readyState === 'open'
    if (this.replayable || !connected) {
      this.sent.push(chunk)
      this.sentBytes += chunk.length
      if (this.sentBytes > this.replayBytes) this.replayable = false
      // Not connected yet and over the limit: hold the client until there is somewhere to write.
      if (!connected && !this.replayable) this.client.pause()
    }
    if (connected && !up.write(chunk)) {
      this.client.pause()
      up.once('drain', () => this.client.resume())
    }
  }

  private readonly onClientEnd = (): void => {
    this.clientEnded = true
    if (this.upstream?.readyState === 'open') this.upstream.end()
  }

  private attempt(): void {
    if (this.done) return
    const e = this.tried.size < this.maxAttempts ? this.deps.picker.pick(this.deps.endpoints(), this.tried) : undefined
    if (!e) return this.giveUp(this.tried.size === 0 ? 'no ready endpoint' : `no endpoint answered (${this.tried.size} tried)`)
    if (this.tried.size > 0) this.deps.counters.retries++
    this.tried.add(endpointKey(e))
    const spare = this.deps.spares?.take(e)
    const up = spare ?? dialEndpoint(e)
    this.upstream = up
    this.deps.picker.opened(e)
    const connected = (): void => {
      for (const chunk of this.sent) up.write(chunk)
      if (!this.replayable) {
        this.sent.length = 0
        this.client.resume()
      }
      if (this.clientEnded) up.end()
    }
    const timer = spare ? undefined : setTimeout(() => up.destroy(new Error('connect timeout')), this.connectTimeoutMs)
    if (spare) connected()
    else up.once('connect', () => {
      clearTimeout(timer)
      connected()
    })
    up.once('data', (first: Buffer) => {
      this.commit(up, e, first)
    })
    up.on('error', () => undefined)
    // Half-open sockets do not close on the endpoint's FIN: an end before any answer is a failed attempt.
    up.once('end', () => !this.answered && up.destroy())
    up.once('close', () => {
      clearTimeout(timer)
      this.deps.picker.closed(e)
      if (this.answered || this.done) return
      if (this.replayable) this.attempt()
      else this.giveUp('the endpoint closed before answering and the request was too large to replay')
    })
  }

  /** The endpoint answered: from now on, plain piping both ways. */
  private commit(up: Socket, e: Endpoint, first: Buffer): void {
    const c = this.client
    this.answered = e
    c.off('data', this.onClientData)
    c.off('end', this.onClientEnd)
    this.sent.length = 0
    c.write(first)
    up.pipe(c)
    if (!this.clientEnded) c.pipe(up)
    up.on('close', (hadError) => hadError && c.destroy())
    c.on('close', (hadError) => hadError && up.destroy())
    up.on('error', () => c.destroy())
  }

  private giveUp(why: string): void {
    if (this.done) return
    this.deps.counters.failures++
    this.deps.onFailure?.(why)
    this.client.destroy()
  }

  private finish(): void {
    if (this.done) return
    this.done = true
    this.deps.counters.active--
    // The client went away before an endpoint answered: drop the attempt in flight.
    if (!this.answered) this.upstream?.destroy()
    // Off the client's path: its connection is over.
    else this.deps.spares?.replenish(this.answered)
  }
}
