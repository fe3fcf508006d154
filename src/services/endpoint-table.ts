// Every Service's endpoints on this agent, recomputed from the applied state whenever a Service or a Pod
// changes (level-triggered: a snapshot restore recomputes everything). Readers get the current table;
// the routing mesh reads it per connection, so a pod that leaves rotation gets no new connection.
import type { ClusterState } from '../state/cluster-state.js'
import type { Change, StoredObject } from '../state/store.js'
import { serviceEndpoints, type Endpoint, type ServiceEndpoints } from './endpoints.js'

export const serviceId = (namespace: string, name: string): string => `${namespace}/${name}`

export class EndpointTable {
  private services = new Map<string, ServiceEndpoints>()
  private readonly listeners = new Set<() => void>()
  private offs: (() => void)[] = []

  constructor(private readonly state: ClusterState) {}

  start(): void {
    this.offs.push(
      this.state.onChange((changes) => this.changed(changes)),
      this.state.onRestore(() => this.recompute()),
    )
    this.recompute()
  }

  stop(): void {
    for (const off of this.offs) off()
    this.offs = []
  }

  get(namespace: string, name: string): ServiceEndpoints | undefined {
    return this.services.get(serviceId(namespace, name))
  }

  all(): readonly ServiceEndpoints[] {
    return [...this.services.values()]
  }

  /** The ready endpoints of one service port (by its port number), or none. */
  ready(id: string, port: number): readonly Endpoint[] {
    return this.services.get(id)?.ports.find((p) => p.port === port)?.ready ?? []
  }

  /** Called after every recomputation that changed something. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private changed(changes: readonly Change[]): void {
    const namespaces = new Set<string>()
    for (const c of changes) if (c.object.kind === 'Service' || c.object.kind === 'Pod') namespaces.add(c.object.namespace)
    if (namespaces.size > 0) this.recompute(namespaces)
  }

  private recompute(namespaces?: ReadonlySet<string>): void {
    const store = this.state.store
    const next = new Map(namespaces ? [...this.services].filter(([, s]) => !namespaces.has(s.namespace)) : [])
    const inScope = (o: StoredObject) => namespaces === undefined || namespaces.has(o.namespace)
    const pods = new Map<string, StoredObject[]>()
    for (const p of store.list('Pod')) if (inScope(p)) (pods.get(p.namespace) ?? pods.set(p.namespace, []).get(p.namespace)!).push(p)
    for (const s of store.list('Service')) if (inScope(s)) next.set(serviceId(s.namespace, s.name), serviceEndpoints(s, pods.get(s.namespace) ?? []))
    const before = this.services
    this.services = next
    if (!sameTable(before, next)) for (const l of this.listeners) l()
  }
}

function sameTable(a: ReadonlyMap<string, ServiceEndpoints>, b: ReadonlyMap<string, ServiceEndpoints>): boolean {
  if (a.size !== b.size) return false
  for (const [k, v] of a) if (JSON.stringify(v) !== JSON.stringify(b.get(k))) return false
  return true
}
