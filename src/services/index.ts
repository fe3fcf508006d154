// The service layer of one agent, composed: the endpoint table from the applied state, the routing
// mesh's listeners, and the DNS responder. Nothing here writes to the Raft log.
import type { Logger } from 'pino'
import type { ClusterState } from '../state/cluster-state.js'
import { serviceId, EndpointTable } from './endpoint-table.js'
import { DnsServer, type DnsState } from './dns-server.js'
import { RoutingMesh, type ListenerState } from './routing-mesh.js'
import { dnsAddressFor, serviceAddressFor, type ServiceOptions } from './options.js'

export { serviceOptions, serviceAddressFor, podResolverFor, ServiceFlagError, type ServiceFlags, type ServiceOptions } from './options.js'
export { ServiceEnvironment } from './service-env.js'
export { serviceEndpoints, type ServiceEndpoints, type PortEndpoints, type Endpoint } from './endpoints.js'
export type { ListenerState } from './routing-mesh.js'

export interface ServicesDeps {
  readonly state: ClusterState
  readonly log: Logger
  /** The runtime this agent runs pods with (docker, process, fake) or undefined: picks the service address. */
  readonly runtime: string | undefined
}

export interface ServicesStatus {
  readonly publishAddress: string
  readonly serviceAddress: string | null
  readonly dns: DnsState
  readonly listeners: readonly ListenerState[]
}

export class Services {
  readonly table: EndpointTable
  readonly mesh: RoutingMesh
  readonly dns: DnsServer | undefined
  readonly serviceAddress: string | undefined

  constructor(deps: ServicesDeps, opts: ServiceOptions) {
    this.serviceAddress = serviceAddressFor(deps.runtime, opts.serviceAddress)
    this.table = new EndpointTable(deps.state)
    this.mesh = new RoutingMesh(this.table, deps.log, { publishAddress: opts.publishAddress, ...(this.serviceAddress ? { serviceAddress: this.serviceAddress } : {}), balance: opts.balance, spares: opts.spares })
    const dnsAt = dnsAddressFor(this.serviceAddress, opts.dns)
    if (!dnsAt || !this.serviceAddress) deps.log.info({}, 'service DNS is off (--dns-address off; or no service address for this runtime; or not root, for port 53: give --dns-address HOST:PORT)')
    else {
      const lookup = (namespace: string, name: string) => {
        const s = this.table.get(namespace, name)
        return s && new Map(s.ports.flatMap((p) => (p.clusterPort === undefined ? [] : [[p.name ?? '', p.clusterPort] as const])))
      }
      this.dns = new DnsServer(lookup, deps.log, { host: dnsAt.host, port: dnsAt.port, serviceAddress: this.serviceAddress })
    }
  }

  start(): void {
    this.table.start()
    this.mesh.start()
    this.dns?.start()
  }

  async stop(): Promise<void> {
    this.table.stop()
    await this.mesh.stop()
    await this.dns?.stop()
  }

  status(): ServicesStatus {
    return {
      publishAddress: this.mesh.publishAddress,
      serviceAddress: this.serviceAddress ?? null,
      dns: this.dns?.status() ?? { state: 'off' },
      listeners: this.mesh.listeners(),
    }
  }

  /** This agent's listeners for one service. */
  listenersOf(namespace: string, name: string): ListenerState[] {
    const id = serviceId(namespace, name)
    return this.mesh.listeners().filter((l) => l.service === id)
  }
}
