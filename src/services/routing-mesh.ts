// The routing mesh (kube-proxy's job, Swarm's ingress): every agent listens for every service port and
// forwards each connection to a Ready endpoint anywhere in the fleet. Listeners follow the endpoint table:
// they open and close as Services come and go. A port that cannot be bound is logged once, shown by
// `listeners()`, and tried again every `rebindMs`; it never stops the agent.
//
//   publish address : nodePort     (type NodePort: reachable from outside the node)
//   service address : clusterPort  (every service port: where pods reach services; see docs/services.md)
import { createServer, type Server } from 'node:net'
import type { Logger } from 'pino'
import { MeshCounters } from './counters.js'
import type { EndpointTable } from './endpoint-table.js'
import type { ServiceEndpoints } from './endpoints.js'
import { forward, type ForwardOptions } from './forward.js'
import { EndpointPicker, endpointKey, type Balance } from './picker.js'
import { SpareConnections } from './spares.js'

export interface RoutingMeshOptions extends ForwardOptions {
  /** Where NodePort ports listen. Default 0.0.0.0. */
  readonly publishAddress?: string
  /** Where every service port listens at its cluster port; absent: not at all. */
  readonly serviceAddress?: string
  readonly balance?: Balance
  /** Failed binds are tried again this often. Default 2 s. */
  readonly rebindMs?: number
  /** Keep a spare connection open to each endpoint in use (spares.ts). Default true. */
  readonly spares?: boolean
}

export interface ListenerSpec {
  readonly address: string
  readonly port: number
  /** `namespace/name`. */
  readonly service: string
  readonly servicePort: number
  readonly kind: 'nodePort' | 'clusterPort'
}

export type ListenerState = ListenerSpec & ({ readonly state: 'listening' } | { readonly state: 'failed'; readonly error: string })

const listenerKey = (s: ListenerSpec) => `${s.address}:${s.port}`
/** Pickers, counters and spares are per service port, shared by its listeners. */
const portKey = (s: ListenerSpec) => `${s.service}:${s.servicePort}`

/** The listeners this agent should hold for these services (pure). */
export function desiredListeners(services: readonly ServiceEndpoints[], publishAddress: string, serviceAddress: string | undefined): ListenerSpec[] {
  const out = new Map<string, ListenerSpec>()
  for (const s of services) {
    const service = `${s.namespace}/${s.name}`
    for (const p of s.ports) {
      const spec = (address: string, port: number, kind: ListenerSpec['kind']): void => {
        const l = { address, port, service, servicePort: p.port, kind }
        if (!out.has(listenerKey(l))) out.set(listenerKey(l), l)
      }
      if (s.type === 'NodePort' && p.nodePort !== undefined) spec(publishAddress, p.nodePort, 'nodePort')
      // A wildcard publish address already covers the service address at the same port.
      const covered = s.type === 'NodePort' && p.nodePort === p.clusterPort && (publishAddress === '0.0.0.0' || publishAddress === serviceAddress)
      if (serviceAddress !== undefined && p.clusterPort !== undefined && !covered) spec(serviceAddress, p.clusterPort, 'clusterPort')
    }
  }
  return [...out.values()]
}

interface Open {
  readonly spec: ListenerSpec
  server: Server | undefined
  binding?: boolean
  error?: string
}

export class RoutingMesh {
  readonly counters = new MeshCounters()
  private readonly open = new Map<string, Open>()
  private readonly pickers = new Map<string, EndpointPicker>()
  private readonly spares = new Map<string, SpareConnections>()
  private off: (() => void) | undefined
  private timer: NodeJS.Timeout | undefined
  private stopped = false

  constructor(
    private readonly table: EndpointTable,
    private readonly log: Logger,
    private readonly opts: RoutingMeshOptions = {},
  ) {}

  get publishAddress(): string {
    return this.opts.publishAddress ?? '0.0.0.0'
  }

  start(): void {
    this.off = this.table.onChange(() => this.reconcile())
    this.timer = setInterval(() => this.retryFailed(), this.opts.rebindMs ?? 2_000)
    this.timer.unref()
    this.reconcile()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.off?.()
    clearInterval(this.timer)
    await Promise.all([...this.open.values()].map((o) => closeServer(o.server)))
    this.open.clear()
    for (const s of this.spares.values()) s.close()
    this.spares.clear()
  }

  listeners(): ListenerState[] {
    return [...this.open.values()].map((o) => (o.server ? { ...o.spec, state: 'listening' as const } : { ...o.spec, state: 'failed' as const, error: o.error ?? 'not bound yet' }))
  }

  private reconcile(): void {
    if (this.stopped) return
    const want = new Map(desiredListeners(this.table.all(), this.publishAddress, this.opts.serviceAddress).map((s) => [listenerKey(s), s]))
    for (const [key, o] of this.open) {
      const w = want.get(key)
      if (w && w.service === o.spec.service && w.servicePort === o.spec.servicePort) continue
      this.open.delete(key)
      void closeServer(o.server)
      this.log.info({ address: key, service: o.spec.service }, 'routing mesh: stopped listening')
    }
    for (const [key, spec] of want) if (!this.open.has(key)) this.listen(spec)
    this.retainSpares()
  }

  /** Spares only to endpoints still Ready, and none for service ports no longer listened on. */
  private retainSpares(): void {
    const ready = new Map<string, Set<string>>()
    for (const o of this.open.values()) ready.set(portKey(o.spec), new Set(this.table.ready(o.spec.service, o.spec.servicePort).map(endpointKey)))
    for (const [key, spares] of this.spares) {
      const keep = ready.get(key)
      if (keep) spares.retain(keep)
      else {
        spares.close()
        this.spares.delete(key)
      }
    }
  }

  private retryFailed(): void {
    for (const o of this.open.values()) if (!o.server && !o.binding) this.bind(o)
  }

  private listen(spec: ListenerSpec): void {
    const o: Open = { spec, server: undefined }
    this.open.set(listenerKey(spec), o)
    this.bind(o)
  }

  private bind(o: Open): void {
    const { spec } = o
    const pickerKey = portKey(spec)
    const picker = this.pickers.get(pickerKey) ?? this.pickers.set(pickerKey, new EndpointPicker(this.opts.balance)).get(pickerKey)!
    const spares = this.opts.spares === false ? undefined : (this.spares.get(pickerKey) ?? this.spares.set(pickerKey, new SpareConnections()).get(pickerKey)!)
    const counters = this.counters.of(pickerKey)
    const server = createServer({ allowHalfOpen: true }, (socket) =>
      forward(socket, { endpoints: () => this.table.ready(spec.service, spec.servicePort), picker, counters, ...(spares ? { spares } : {}), onFailure: (why) => this.log.debug({ service: pickerKey, why }, 'routing mesh: connection closed') }, this.opts),
    )
    o.binding = true
    server.once('error', (err: NodeJS.ErrnoException) => {
      o.binding = false
      const first = o.error === undefined
      o.error = `cannot listen on ${listenerKey(spec)}: ${err.code ?? err.message}`
      if (first) this.log.warn({ service: spec.service, port: spec.servicePort, err: err.message }, `routing mesh: ${o.error}; retrying every ${(this.opts.rebindMs ?? 2_000) / 1000} s (is another process, or another agent on this host, using it?)`)
    })
    server.listen({ host: spec.address, port: spec.port }, () => {
      o.binding = false
      if (this.open.get(listenerKey(spec)) !== o || this.stopped) return void server.close()
      o.server = server
      delete o.error
      server.on('error', (err) => this.log.warn({ err }, 'routing mesh: listener error'))
      this.log.info({ address: listenerKey(spec), service: spec.service, port: spec.servicePort }, `routing mesh: listening for ${spec.service}:${spec.servicePort}`)
    })
  }
}

/** Stops accepting at once; connections being forwarded finish on their own. */
async function closeServer(server: Server | undefined): Promise<void> {
  server?.close()
}
