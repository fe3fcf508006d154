// The mesh transport: carries Raft Messages and RPC calls between agents over libp2p.
// It knows Raft only as the Message type it carries.
import './polyfill.js'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { parseAddress, withoutPeerId } from './addr.js'
import { Backoff } from './backoff.js'
import { newCounters } from './counters.js'
import { mapDialError } from './dial-errors.js'
import { MeshNotStartedError, PeerUnreachableError, RemoteError } from './errors.js'
import { DEFAULT_MAX_FRAME_BYTES } from './frame.js'
import { netLogger } from './logger.js'
import { createNode } from './node.js'
import { RaftLink, type RaftLinkInit } from './raft-link.js'
import { RaftReader } from './raft-reader.js'
import { ReplyLinks } from './reply-links.js'
import { ReachabilityBook } from './reachability.js'
import { RpcClient } from './rpc-client.js'
import { RpcServer } from './rpc-server.js'
import { closeQuietly, onChunks } from './stream-io.js'
import { parseJoinToken, swarmKeyFromToken } from './token.js'
import type { BackoffOptions } from './backoff.js'
import type { NetCounters } from './counters.js'
import type { Logger } from './logger.js'
import type { PeerStatus } from './reachability.js'
import type { CallOptions } from './rpc-client.js'
import type { RpcHandler } from './rpc-server.js'
import type { JoinToken } from './token.js'
import type { Message } from '../raft/types.js'
import type { Connection, Libp2p, PrivateKey, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export const RAFT_PROTOCOL = '/podmesh/raft/1'
export const RPC_PROTOCOL = '/podmesh/rpc/1'

export interface MeshOptions {
  readonly privateKey: PrivateKey
  /** The cluster's join token, parsed or as pasted (`pm1.…`). */
  readonly token: JoinToken | string
  /** Where to listen: multiaddrs or host:port. Use port 0 for an ephemeral port. */
  readonly listen: string | readonly string[]
  /** Addresses to advertise instead of the listening ones (behind NAT). */
  readonly announce?: readonly string[]
  readonly logger?: Logger
  /** Default 16 MiB. Larger inbound frames are skipped and counted; larger outbound messages are dropped. */
  readonly maxFrameBytes?: number
  /** Per-peer Raft queue bound in messages. Default 4096. */
  readonly maxQueuedMessages?: number
  /** Per-peer Raft queue bound in bytes. Default 64 MiB. */
  readonly maxQueuedBytes?: number
  /** Redial backoff. Default 50 ms doubling to 2 s, with jitter. */
  readonly backoff?: BackoffOptions
  /** Default 10 s. */
  readonly rpcTimeoutMs?: number
  /** Default 5 s. */
  readonly dialTimeoutMs?: number
  /** Inbound connections accepted per second from one host (libp2p's guard). Default 50. */
  readonly inboundConnectionThreshold?: number
  /** Bind outgoing connections to this source address (so packet filters can tell nodes apart on one host). */
  readonly dialFrom?: string
  /** Jitter source; default Math.random. */
  readonly rand?: () => number
  readonly now?: () => number
}

export type PeerEvent =
  | { readonly type: 'up', readonly peer: string }
  /** The peer could not be dialled, or its stream broke: the Raft driver calls reportUnreachable(peer). */
  | { readonly type: 'down', readonly peer: string, readonly error: Error | undefined }

export interface Mesh {
  /** This node's PeerId string: its Raft node id. */
  readonly peerId: string
  readonly counters: NetCounters
  start: () => Promise<void>
  stop: () => Promise<void>
  /** Listening (or announced) addresses, each ending in /p2p/<peerId>. */
  addresses: () => string[]
  /** Adds or updates a peer; its Raft link dials it and stays connected until removePeer. */
  addPeer: (id: string, addrs: readonly string[]) => void
  removePeer: (id: string) => void
  peers: () => string[]
  /** Dials an address whose peer id is unknown (`agent join host:port`) and returns the id it answered with. */
  connect: (addr: string, opts?: { signal?: AbortSignal }) => Promise<{ peerId: string, remoteAddr: string }>
  /**
   * Queues each message for its `to` peer. Never waits, never throws. A peer without a record is
   * answered over a connection it has open to us, if any (reply-links.ts); otherwise the message is dropped.
   */
  send: (msgs: readonly Message[]) => void
  onMessage: (handler: (m: Message) => void) => () => void
  onPeerEvent: (handler: (e: PeerEvent) => void) => () => void
  call: (peer: string, method: string, body: unknown, opts?: CallOptions) => Promise<unknown>
  handle: (method: string, handler: RpcHandler) => () => void
  status: () => PeerStatus[]
}

export function createMesh (opts: MeshOptions): Mesh {
  return new MeshImpl(opts)
}

interface PeerRecord {
  addrs: Multiaddr[]
  link: RaftLink | undefined
}

class MeshImpl implements Mesh {
  readonly peerId: string
  readonly counters = newCounters()
  private readonly log: Logger
  private readonly token: JoinToken
  private readonly listen: Multiaddr[]
  private readonly maxFrameBytes: number
  private readonly book: ReachabilityBook
  private readonly peerRecords = new Map<string, PeerRecord>()
  private readonly replyLinks: ReplyLinks
  private readonly messageHandlers = new Set<(m: Message) => void>()
  private readonly peerEventHandlers = new Set<(e: PeerEvent) => void>()
  private readonly rpcServer: RpcServer
  private readonly rpcClient: RpcClient
  private node: Libp2p | undefined

  constructor (private readonly opts: MeshOptions) {
    this.peerId = peerIdFromPrivateKey(opts.privateKey).toString()
    this.log = netLogger(opts.logger).child({ self: this.peerId })
    this.token = typeof opts.token === 'string' ? parseJoinToken(opts.token) : opts.token
    this.listen = (typeof opts.listen === 'string' ? [opts.listen] : opts.listen).map(a => parseAddress(a))
    this.maxFrameBytes = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES
    this.book = new ReachabilityBook(opts.now ?? Date.now)
    this.rpcServer = new RpcServer(this.counters, this.log.child({ proto: 'rpc' }), this.maxFrameBytes)
    this.rpcClient = new RpcClient({
      open: async (peer, signal) => await this.openStream(peer, RPC_PROTOCOL, signal),
      counters: this.counters,
      log: this.log.child({ proto: 'rpc' }),
      maxFrameBytes: this.maxFrameBytes,
      defaultTimeoutMs: opts.rpcTimeoutMs ?? 10_000
    })
    this.replyLinks = new ReplyLinks({
      connected: peer => this.openConnection(peer) !== undefined,
      create: (peer, onEnd) => this.newReplyLink(peer, onEnd)
    })
  }

  async start (): Promise<void> {
    if (this.node !== undefined) return
    const node = await createNode({
      privateKey: this.opts.privateKey,
      swarmKey: swarmKeyFromToken(this.token),
      listen: this.listen,
      announce: (this.opts.announce ?? []).map(a => parseAddress(a)),
      dialTimeoutMs: this.opts.dialTimeoutMs ?? 5_000,
      inboundConnectionThreshold: this.opts.inboundConnectionThreshold ?? 50,
      ...(this.opts.dialFrom === undefined ? {} : { dialFrom: this.opts.dialFrom }),
      onTokenReject: (remoteAddr, direction) => {
        this.counters.wrongToken++
        this.log.warn({ remoteAddr, direction }, 'connection refused: the remote holds another join token')
      }
    })
    await node.handle(RAFT_PROTOCOL, (stream, conn) => { this.serveRaft(stream, conn) }, { maxInboundStreams: 16 })
    await node.handle(RPC_PROTOCOL, (stream, conn) => { this.rpcServer.serve(stream, conn.remotePeer.toString()) }, { maxInboundStreams: 16 })
    await node.start()
    this.node = node
    for (const [id, rec] of this.peerRecords) this.startLink(id, rec)
    this.log.info({ addrs: this.addresses() }, 'mesh started')
  }

  async stop (): Promise<void> {
    const node = this.node
    if (node === undefined) return
    this.node = undefined
    for (const rec of this.peerRecords.values()) {
      rec.link?.stop()
      rec.link = undefined
    }
    this.replyLinks.stopAll()
    this.rpcClient.close()
    await node.stop()
    this.log.info({}, 'mesh stopped')
  }

  addresses (): string[] {
    return this.node?.getMultiaddrs().map(String) ?? []
  }

  addPeer (id: string, addrs: readonly string[]): void {
    if (id === this.peerId) return
    peerIdFromString(id) // throws on a malformed id, before we store it
    const parsed = addrs.map(a => withoutPeerId(parseAddress(a)))
    const rec = this.peerRecords.get(id)
    this.book.add(id, parsed.map(String))
    this.replyLinks.drop(id)
    if (rec !== undefined) {
      rec.addrs = parsed
      return
    }
    const fresh: PeerRecord = { addrs: parsed, link: undefined }
    this.peerRecords.set(id, fresh)
    if (this.node !== undefined) this.startLink(id, fresh)
  }

  removePeer (id: string): void {
    this.replyLinks.drop(id)
    const rec = this.peerRecords.get(id)
    if (rec === undefined) return
    rec.link?.stop()
    this.peerRecords.delete(id)
    this.book.remove(id)
    this.rpcClient.forget(id)
  }

  peers (): string[] {
    return [...this.peerRecords.keys()]
  }

  async connect (addr: string, opts: { signal?: AbortSignal } = {}): Promise<{ peerId: string, remoteAddr: string }> {
    const node = this.requireNode()
    const ma = parseAddress(addr)
    let conn: Connection
    try {
      conn = await node.dial(ma, { signal: opts.signal ?? AbortSignal.timeout(this.opts.dialTimeoutMs ?? 5_000) })
    } catch (err) {
      throw mapDialError(err, addr)
    }
    return { peerId: conn.remotePeer.toString(), remoteAddr: conn.remoteAddr.toString() }
  }

  send (msgs: readonly Message[]): void {
    for (const m of msgs) {
      const rec = this.peerRecords.get(m.to)
      const link = rec !== undefined ? rec.link : this.replyLinks.get(m.to)
      if (link === undefined) {
        this.counters.droppedSends.noRoute++
        continue
      }
      link.enqueue(m)
    }
  }

  onMessage (handler: (m: Message) => void): () => void {
    this.messageHandlers.add(handler)
    return () => { this.messageHandlers.delete(handler) }
  }

  onPeerEvent (handler: (e: PeerEvent) => void): () => void {
    this.peerEventHandlers.add(handler)
    return () => { this.peerEventHandlers.delete(handler) }
  }

  async call (peer: string, method: string, body: unknown, opts?: CallOptions): Promise<unknown> {
    this.requireNode()
    if (peer === this.peerId) return await this.callSelf(method, body)
    return await this.rpcClient.call(peer, method, body, opts)
  }

  handle (method: string, handler: RpcHandler): () => void {
    return this.rpcServer.handle(method, handler)
  }

  status (): PeerStatus[] {
    const out: PeerStatus[] = []
    for (const [id, rec] of this.peerRecords) {
      const s = this.book.status(id, rec.link?.queued ?? 0)
      if (s !== undefined) out.push(s)
    }
    return out
  }

  private async callSelf (method: string, body: unknown): Promise<unknown> {
    try {
      return await this.rpcServer.invoke(method, body, this.peerId)
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err))
      throw new RemoteError(e.name, e.message, this.peerId)
    }
  }

  /** What every Raft link of this mesh shares: bounds, counters, backoff. */
  private linkLimits (): Pick<RaftLinkInit, 'backoff' | 'counters' | 'maxFrameBytes' | 'maxQueuedMessages' | 'maxQueuedBytes' | 'maxBatchBytes'> {
    return {
      backoff: new Backoff(this.opts.backoff, this.opts.rand),
      counters: this.counters,
      maxFrameBytes: this.maxFrameBytes,
      maxQueuedMessages: this.opts.maxQueuedMessages ?? 4096,
      maxQueuedBytes: this.opts.maxQueuedBytes ?? 64 * 1024 * 1024,
      maxBatchBytes: 1024 * 1024
    }
  }

  private startLink (id: string, rec: PeerRecord): void {
    rec.link = new RaftLink({
      ...this.linkLimits(),
      peer: id,
      open: async signal => await this.openStream(id, RAFT_PROTOCOL, signal),
      log: this.log.child({ peer: id, proto: 'raft' }),
      onConnected: () => {
        this.book.connected(id)
        this.emitPeerEvent({ type: 'up', peer: id })
      },
      onDisconnected: err => {
        this.book.disconnected(id, err)
        this.emitPeerEvent({ type: 'down', peer: id, error: err })
      },
      onQueueDrop: n => { this.book.droppedQueueFull(id, n) }
    })
    rec.link.start()
  }

  /** Answers a peer without a record on a connection it has open to us; never dials (reply-links.ts). */
  private newReplyLink (id: string, onEnd: () => void): RaftLink {
    const log = this.log.child({ peer: id, proto: 'raft', reply: true })
    log.debug({}, 'answering a peer we hold no address of over its connection')
    return new RaftLink({
      ...this.linkLimits(),
      peer: id,
      open: async signal => {
        const conn = this.openConnection(id)
        if (conn === undefined) throw new PeerUnreachableError(`${id} has no connection open to us`)
        return await conn.newStream(RAFT_PROTOCOL, { signal })
      },
      redial: false,
      log,
      onConnected: () => {},
      onDisconnected: () => { onEnd() },
      onQueueDrop: () => {}
    })
  }

  private openConnection (peer: string): Connection | undefined {
    const node = this.node
    if (node === undefined) return undefined
    let id
    try {
      id = peerIdFromString(peer)
    } catch {
      return undefined
    }
    return node.getConnections(id).find(c => c.status === 'open')
  }

  private async openStream (peer: string, protocol: string, signal: AbortSignal): Promise<Stream> {
    const node = this.requireNode()
    const addrs = this.peerRecords.get(peer)?.addrs ?? []
    const target = addrs.length > 0 ? addrs.map(a => a.encapsulate(`/p2p/${peer}`)) : peerIdFromString(peer)
    try {
      const conn = await node.dial(target, { signal })
      return await conn.newStream(protocol, { signal })
    } catch (err) {
      throw mapDialError(err, peer)
    }
  }

  private serveRaft (stream: Stream, conn: Connection): void {
    const remotePeer = conn.remotePeer.toString()
    const reader = new RaftReader({
      remotePeer,
      maxFrameBytes: this.maxFrameBytes,
      counters: this.counters,
      log: this.log.child({ peer: remotePeer, proto: 'raft' }),
      deliver: m => { for (const h of this.messageHandlers) h(m) }
    })
    onChunks(stream, chunk => {
      this.book.seen(remotePeer)
      reader.push(chunk)
    })
    stream.addEventListener('remoteCloseWrite', () => { void closeQuietly(stream) })
  }

  private emitPeerEvent (e: PeerEvent): void {
    for (const h of this.peerEventHandlers) {
      try { h(e) } catch (err) { this.log.error({ err }, 'peer event handler threw') }
    }
  }

  private requireNode (): Libp2p {
    if (this.node === undefined) throw new MeshNotStartedError()
    return this.node
  }
}
