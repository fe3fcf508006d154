// What `agent status` shows per peer: is our Raft stream to it up, when did we last hear from it, what failed last.

export interface PeerStatus {
  readonly id: string
  readonly addrs: readonly string[]
  /** Our outbound Raft stream to the peer is open. */
  readonly connected: boolean
  /** Epoch ms of the last frame received from the peer or the last successful connect; undefined if never. */
  readonly lastSeen: number | undefined
  /** The last dial or stream error, cleared on reconnect. */
  readonly lastError: { readonly name: string, readonly message: string, readonly at: number } | undefined
  /** Messages waiting to be sent. */
  readonly queued: number
  /** Messages dropped because the queue was full. */
  readonly droppedQueueFull: number
}

interface Entry {
  addrs: readonly string[]
  connected: boolean
  lastSeen: number | undefined
  lastError: PeerStatus['lastError']
  droppedQueueFull: number
}

export class ReachabilityBook {
  private readonly peers = new Map<string, Entry>()

  constructor (private readonly now: () => number) {}

  add (id: string, addrs: readonly string[]): void {
    const e = this.peers.get(id)
    if (e !== undefined) e.addrs = addrs
    else this.peers.set(id, { addrs, connected: false, lastSeen: undefined, lastError: undefined, droppedQueueFull: 0 })
  }

  remove (id: string): void { this.peers.delete(id) }

  connected (id: string): void {
    const e = this.peers.get(id)
    if (e === undefined) return
    e.connected = true
    e.lastSeen = this.now()
    e.lastError = undefined
  }

  disconnected (id: string, err: Error | undefined): void {
    const e = this.peers.get(id)
    if (e === undefined) return
    e.connected = false
    if (err !== undefined) e.lastError = { name: err.name, message: err.message, at: this.now() }
  }

  seen (id: string): void {
    const e = this.peers.get(id)
    if (e !== undefined) e.lastSeen = this.now()
  }

  droppedQueueFull (id: string, n: number): void {
    const e = this.peers.get(id)
    if (e !== undefined) e.droppedQueueFull += n
  }

  status (id: string, queued: number): PeerStatus | undefined {
    const e = this.peers.get(id)
    if (e === undefined) return undefined
    return { id, addrs: e.addrs, connected: e.connected, lastSeen: e.lastSeen, lastError: e.lastError, queued, droppedQueueFull: e.droppedQueueFull }
  }
}
