// The fallback when iptables cannot be used: a TCP relay in the runner's process in front of every
// node's mesh port. Agents advertise the relay's port and dial from their own address, so the relay
// knows each connection's two ends. A cut direction stops being read (bytes wait in the kernel
// buffers, the sender stalls as on a lossy link) and resumes on heal, like TCP after a partition.
import { connect, createServer, type Server, type Socket } from 'node:net'
import type { Cut } from './faults.js'
import type { FilterMode, PacketFilter } from './filter.js'
import { linkOpen } from './partitions.js'

export interface RelayTarget {
  readonly slot: number
  readonly host: string
  /** Where the relay listens (the port the agent advertises). */
  readonly listenPort: number
  /** The agent's own mesh port. */
  readonly meshPort: number
}

/** One direction of a relayed connection: reads `src`, writes `dst`. */
class Pipe {
  private backpressure = false
  blocked = false

  constructor(
    readonly from: number,
    readonly to: number,
    private readonly src: Socket,
    dst: Socket,
  ) {
    src.on('data', (chunk: Buffer) => {
      if (!dst.write(chunk)) {
        this.backpressure = true
        src.pause()
      }
    })
    dst.on('drain', () => {
      this.backpressure = false
      this.update()
    })
  }

  setBlocked(blocked: boolean): void {
    this.blocked = blocked
    this.update()
  }

  private update(): void {
    if (this.blocked || this.backpressure) this.src.pause()
    else this.src.resume()
  }
}

export class ProxyFilter implements PacketFilter {
  readonly mode: FilterMode = 'in-process'
  private cuts: readonly Cut[] = []
  private readonly servers: Server[] = []
  private readonly pipes = new Set<Pipe>()
  private readonly sockets = new Set<Socket>()

  private constructor(private readonly slotOfAddress: (addr: string) => number | undefined) {}

  static async create(targets: readonly RelayTarget[], slotOfAddress: (addr: string) => number | undefined): Promise<ProxyFilter> {
    const f = new ProxyFilter(slotOfAddress)
    for (const t of targets) f.servers.push(await f.listen(t))
    return f
  }

  private listen(t: RelayTarget): Promise<Server> {
    const server = createServer((socket) => this.relay(t, socket))
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(t.listenPort, t.host, () => resolve(server))
    })
  }

  private relay(t: RelayTarget, inbound: Socket): void {
    const from = this.slotOfAddress((inbound.remoteAddress ?? '').replace(/^::ffff:/, ''))
    const upstream = connect({ host: t.host, port: t.meshPort })
    for (const s of [inbound, upstream]) {
      this.sockets.add(s)
      s.setNoDelay(true)
      s.on('error', () => undefined)
      s.on('close', () => {
        this.sockets.delete(s)
        inbound.destroy()
        upstream.destroy()
      })
    }
    // Connections from outside the cluster (unknown source) are never cut.
    if (from === undefined) {
      inbound.pipe(upstream)
      upstream.pipe(inbound)
      return
    }
    const pipes = [new Pipe(from, t.slot, inbound, upstream), new Pipe(t.slot, from, upstream, inbound)]
    for (const p of pipes) {
      this.pipes.add(p)
      p.setBlocked(!linkOpen(this.cuts, p.from, p.to))
    }
    inbound.once('close', () => pipes.forEach((p) => this.pipes.delete(p)))
  }

  async apply(cuts: readonly Cut[]): Promise<void> {
    this.cuts = [...cuts]
    for (const p of this.pipes) p.setBlocked(!linkOpen(this.cuts, p.from, p.to))
  }

  async heal(): Promise<void> {
    await this.apply([])
  }

  async close(): Promise<void> {
    this.closeNow()
  }

  closeNow(): void {
    for (const s of this.sockets) s.destroy()
    this.sockets.clear()
    this.pipes.clear()
    for (const server of this.servers.splice(0)) server.close()
  }
}
