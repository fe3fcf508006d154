// The agent's DNS responder on UDP: service names from the endpoint table (src/services/dns-answer.ts);
// every other name is relayed to the host's resolver (its /etc/resolv.conf), since containers get this
// responder as their only nameserver. A port it cannot bind (another agent on this host has it, or no
// privilege for port 53) is logged once and tried again every `rebindMs`.
import { createSocket, type Socket } from 'node:dgram'
import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import dnsPacket from 'dns-packet'
import type { Logger } from 'pino'
import { answer, type ServiceLookup } from './dns-answer.js'

export interface DnsServerOptions {
  readonly host: string
  readonly port: number
  /** The A records' address: where pods reach services. */
  readonly serviceAddress: string
  /** Default: the first nameserver of /etc/resolv.conf that is not this responder. */
  readonly upstream?: string
  readonly rebindMs?: number
}

export type DnsState = { readonly state: 'listening'; readonly address: string } | { readonly state: 'failed'; readonly address: string; readonly error: string } | { readonly state: 'off' }

export function hostNameserver(exclude: string): string | undefined {
  try {
    const lines = readFileSync('/etc/resolv.conf', 'utf8').split('\n')
    return lines.map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1]).find((ip): ip is string => ip !== undefined && isIP(ip) === 4 && ip !== exclude)
  } catch {
    return undefined
  }
}

export class DnsServer {
  private socket: Socket | undefined
  private error: string | undefined
  private timer: NodeJS.Timeout | undefined
  private stopped = false
  private readonly upstream: string | undefined

  constructor(
    private readonly lookup: ServiceLookup,
    private readonly log: Logger,
    private readonly opts: DnsServerOptions,
  ) {
    this.upstream = opts.upstream ?? hostNameserver(opts.host)
  }

  get address(): string {
    return `${this.opts.host}:${this.opts.port}`
  }

  status(): DnsState {
    return this.socket ? { state: 'listening', address: this.address } : { state: 'failed', address: this.address, error: this.error ?? 'not bound yet' }
  }

  start(): void {
    this.bind()
    this.timer = setInterval(() => !this.socket && this.bind(), this.opts.rebindMs ?? 2_000)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    const s = this.socket
    this.socket = undefined
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()))
  }

  private bind(): void {
    const s = createSocket({ type: 'udp4' })
    s.once('error', (err: NodeJS.ErrnoException) => {
      s.close()
      const first = this.error === undefined
      this.error = `cannot listen on ${this.address}/udp: ${err.code ?? err.message}`
      if (first) this.log.warn({ err: err.message }, `service DNS: ${this.error}; retrying every ${(this.opts.rebindMs ?? 2_000) / 1000} s (another agent on this host may hold it; port 53 needs root; --dns-address off disables it)`)
    })
    s.bind(this.opts.port, this.opts.host, () => {
      if (this.stopped) return void s.close()
      this.socket = s
      this.error = undefined
      s.on('error', (err) => this.log.warn({ err }, 'service DNS: socket error'))
      s.on('message', (msg, from) => this.onQuery(s, msg, from.address, from.port))
      this.log.info({ address: this.address, upstream: this.upstream ?? null }, `service DNS: answering *.svc.cluster.local on ${this.address}`)
    })
  }

  private onQuery(s: Socket, msg: Buffer, host: string, port: number): void {
    let query: dnsPacket.Packet
    try {
      query = dnsPacket.decode(msg)
    } catch {
      return
    }
    const reply = answer(query, this.lookup, this.opts.serviceAddress)
    if (reply.kind === 'answer') return void s.send(dnsPacket.encode(reply.packet), port, host)
    if (this.upstream) this.relay(s, msg, host, port, this.upstream)
    else s.send(dnsPacket.encode({ type: 'response', id: query.id ?? 0, questions: query.questions ?? [], flags: 2 /* SERVFAIL */ }), port, host)
  }

  /** One socket per relayed query: the upstream's answer goes back as it came, or nothing after 3 s. */
  private relay(s: Socket, msg: Buffer, host: string, port: number, upstream: string): void {
    const out = createSocket({ type: 'udp4' })
    const done = () => {
      clearTimeout(timer)
      out.close()
    }
    const timer = setTimeout(done, 3_000)
    out.on('error', done)
    out.once('message', (reply) => {
      s.send(reply, port, host)
      done()
    })
    out.send(msg, 53, upstream)
  }
}
