// What the routing mesh counts, per service port (`namespace/name:port`): read by /metrics.
export interface PortCounters {
  /** Client connections accepted. */
  connections: number
  /** Further endpoints tried after one failed (connect refused, timed out, or closed before answering). */
  retries: number
  /** Clients closed because no endpoint answered. */
  failures: number
  /** Connections being forwarded now. */
  active: number
}

export class MeshCounters {
  readonly byPort = new Map<string, PortCounters>()

  of(key: string): PortCounters {
    let c = this.byPort.get(key)
    if (!c) {
      c = { connections: 0, retries: 0, failures: 0, active: 0 }
      this.byPort.set(key, c)
    }
    return c
  }
}
