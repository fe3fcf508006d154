// In-process message delivery between drivers, for tests and the benchmark. Messages are delivered
// asynchronously (as a network would) and by reference: nothing is copied or encoded.
import type { MessageReceiver, Transport } from './driver.js'
import type { Message, NodeId } from './types.js'

export interface MemoryNetworkOptions {
  /** 'microtask' (default) delivers as soon as the sender yields; 'immediate' after pending I/O callbacks. */
  readonly delivery?: 'microtask' | 'immediate'
}

export interface MemoryNetworkStats {
  delivered: number
  dropped: number
}

/** One node's side of a MemoryNetwork. Attach the driver once it exists; until then its messages are dropped. */
export class MemoryTransport implements Transport {
  receiver: MessageReceiver | undefined

  constructor(
    readonly id: NodeId,
    private readonly net: MemoryNetwork,
  ) {}

  attach(receiver: MessageReceiver): void {
    this.receiver = receiver
  }

  send(messages: readonly Message[]): void {
    this.net.route(this.id, messages)
  }
}

export class MemoryNetwork {
  readonly stats: MemoryNetworkStats = { delivered: 0, dropped: 0 }
  private readonly endpoints = new Map<NodeId, MemoryTransport>()
  private readonly isolated = new Set<NodeId>()
  private readonly schedule: (fn: () => void) => void

  constructor(opts: MemoryNetworkOptions = {}) {
    this.schedule = opts.delivery === 'immediate' ? (fn) => setImmediate(fn) : queueMicrotask
  }

  /** The transport of node id (created on first use; a restarted node gets the same endpoint and re-attaches). */
  endpoint(id: NodeId): MemoryTransport {
    let t = this.endpoints.get(id)
    if (!t) {
      t = new MemoryTransport(id, this)
      this.endpoints.set(id, t)
    }
    return t
  }

  /** Cuts the node off: nothing it sends or is sent arrives, until heal(id). */
  cut(id: NodeId): void {
    this.isolated.add(id)
  }

  heal(id: NodeId): void {
    this.isolated.delete(id)
  }

  /** Detaches the node's driver (it stopped); its messages are dropped until it attaches again. */
  detach(id: NodeId): void {
    const t = this.endpoints.get(id)
    if (t) t.receiver = undefined
  }

  route(from: NodeId, messages: readonly Message[]): void {
    if (messages.length === 0) return
    this.schedule(() => {
      for (const m of messages) this.deliver(from, m)
    })
  }

  private deliver(from: NodeId, m: Message): void {
    const to = this.endpoints.get(m.to)?.receiver
    if (!to || this.isolated.has(from) || this.isolated.has(m.to)) {
      this.stats.dropped++
      this.endpoints.get(from)?.receiver?.reportUnreachable(m.to)
      return
    }
    this.stats.delivered++
    to.receive(m)
  }
}
