// Which endpoint a new connection goes to: round-robin (default) or least-connections, skipping the
// endpoints this connection already tried. One picker per service port, on every agent.
import type { Endpoint } from './endpoints.js'

export type Balance = 'round-robin' | 'least-connections'

export const endpointKey = (e: Endpoint): string => `${e.ip}:${e.port}`

export class EndpointPicker {
  private cursor = 0
  private readonly open = new Map<string, number>()

  constructor(private readonly balance: Balance = 'round-robin') {}

  /** The next endpoint not in `tried`; undefined when every endpoint was tried (or there are none). */
  pick(endpoints: readonly Endpoint[], tried: ReadonlySet<string>): Endpoint | undefined {
    const n = endpoints.length
    if (n === 0) return undefined
    if (this.balance === 'least-connections') return this.leastConnections(endpoints, tried)
    for (let i = 0; i < n; i++) {
      const e = endpoints[(this.cursor + i) % n]!
      if (tried.has(endpointKey(e))) continue
      this.cursor = (this.cursor + i + 1) % n
      return e
    }
    return undefined
  }

  /** Ties go round-robin, so equal loads still spread. */
  private leastConnections(endpoints: readonly Endpoint[], tried: ReadonlySet<string>): Endpoint | undefined {
    const n = endpoints.length
    let best: { e: Endpoint; at: number; load: number } | undefined
    for (let i = 0; i < n; i++) {
      const at = (this.cursor + i) % n
      const e = endpoints[at]!
      if (tried.has(endpointKey(e))) continue
      const load = this.open.get(endpointKey(e)) ?? 0
      if (!best || load < best.load) best = { e, at, load }
    }
    if (best) this.cursor = (best.at + 1) % n
    return best?.e
  }

  opened(e: Endpoint): void {
    const k = endpointKey(e)
    this.open.set(k, (this.open.get(k) ?? 0) + 1)
  }

  closed(e: Endpoint): void {
    const k = endpointKey(e)
    const n = (this.open.get(k) ?? 1) - 1
    if (n <= 0) this.open.delete(k)
    else this.open.set(k, n)
  }

  /** Connections this agent holds open to each endpoint. */
  openConnections(): ReadonlyMap<string, number> {
    return this.open
  }
}
