// The calling side of /podmesh/rpc/1: one long-lived stream per peer, calls multiplexed on it by id.
import { FrameTooLargeError, RemoteError, RpcAbortedError, RpcConnectionLostError, RpcTimeoutError } from './errors.js'
import { FrameDecoder } from './frame.js'
import { FrameWriter } from './frame-writer.js'
import { RPC_ERROR, RPC_REPLY, decodeRpcFrame, encodeRequest } from './rpc-wire.js'
import { closeQuietly, onChunks } from './stream-io.js'
import type { NetCounters } from './counters.js'
import type { Logger } from './logger.js'
import type { Stream } from '@libp2p/interface'

export interface CallOptions {
  readonly signal?: AbortSignal
  /** Covers dialling, the request and the reply. Default: the mesh's rpcTimeoutMs. */
  readonly timeoutMs?: number
}

type Settle = (err: Error | undefined, value?: unknown) => void

interface Channel {
  readonly stream: Stream
  readonly writer: FrameWriter
  readonly pending: Map<number, Settle>
}

export interface RpcClientInit {
  readonly open: (peer: string, signal: AbortSignal) => Promise<Stream>
  readonly counters: NetCounters
  readonly log: Logger
  readonly maxFrameBytes: number
  readonly defaultTimeoutMs: number
}

export class RpcClient {
  private readonly channels = new Map<string, Promise<Channel>>()
  /** The channels whose stream is open, for the synchronous fast path. */
  private readonly open = new Map<string, Channel>()
  private nextId = 1

  constructor (private readonly init: RpcClientInit) {}

  async call (peer: string, method: string, body: unknown, opts: CallOptions = {}): Promise<unknown> {
    const id = this.nextId++
    const bytes = encodeRequest(id, method, body)
    if (bytes.length > this.init.maxFrameBytes) {
      throw new FrameTooLargeError(`request of ${method} is ${bytes.length} bytes, over the ${this.init.maxFrameBytes} byte limit`)
    }
    if (opts.signal?.aborted === true) throw new RpcAbortedError(`call ${method} to ${peer} aborted`)
    const timeoutMs = opts.timeoutMs ?? this.init.defaultTimeoutMs
    return await new Promise<unknown>((resolve, reject) => {
      // Created only while a dial is pending: AbortController.abort() builds a DOMException, too costly per call.
      let dialAbort: AbortController | undefined
      let channel: Channel | undefined
      let done = false
      const settle: Settle = (err, value) => {
        if (done) return
        done = true
        clearTimeout(timer)
        opts.signal?.removeEventListener('abort', onAbort)
        channel?.pending.delete(id)
        dialAbort?.abort()
        if (err !== undefined) reject(err)
        else resolve(value)
      }
      const onAbort = (): void => { settle(new RpcAbortedError(`call ${method} to ${peer} aborted`)) }
      const timer = setTimeout(() => { settle(new RpcTimeoutError(`call ${method} to ${peer} timed out after ${timeoutMs} ms`)) }, timeoutMs)
      opts.signal?.addEventListener('abort', onAbort, { once: true })
      const send = (ch: Channel): void => {
        if (done) return
        channel = ch
        ch.pending.set(id, settle)
        ch.writer.write(bytes)
      }
      const open = this.open.get(peer)
      if (open !== undefined) {
        send(open)
        return
      }
      const ac = new AbortController()
      dialAbort = ac
      this.channel(peer, ac.signal).then(ch => {
        dialAbort = undefined
        send(ch)
      }, (err: Error) => { settle(err) })
    })
  }

  /** Closes every channel; pending calls fail with RpcConnectionLostError. */
  close (): void {
    for (const p of this.channels.values()) {
      p.then(ch => { void closeQuietly(ch.stream) }, () => {})
    }
    this.channels.clear()
    this.open.clear()
  }

  /** Drops the channel to a peer (removed from the mesh). */
  forget (peer: string): void {
    const p = this.channels.get(peer)
    this.channels.delete(peer)
    this.open.delete(peer)
    p?.then(ch => { void closeQuietly(ch.stream) }, () => {})
  }

  private async channel (peer: string, signal: AbortSignal): Promise<Channel> {
    let p = this.channels.get(peer)
    if (p === undefined) {
      // The dial is shared by concurrent callers, so one caller's abort must not cancel it: it has its own bound.
      p = this.openChannel(peer)
      this.channels.set(peer, p)
      p.catch(() => { if (this.channels.get(peer) === p) this.channels.delete(peer) })
    }
    return await raceAbort(p, signal)
  }

  private async openChannel (peer: string): Promise<Channel> {
    const stream = await this.init.open(peer, AbortSignal.timeout(this.init.defaultTimeoutMs))
    const ch: Channel = { stream, writer: new FrameWriter(stream), pending: new Map() }
    const self = this.channels.get(peer)
    if (self === undefined) {
      // forget() or close() ran while we were dialling.
      void closeQuietly(stream)
      throw new RpcConnectionLostError(`channel to ${peer} closed while opening`)
    }
    const lost = (err: Error | undefined): void => {
      if (this.channels.get(peer) === self) this.channels.delete(peer)
      if (this.open.get(peer) === ch) this.open.delete(peer)
      const e = new RpcConnectionLostError(`connection to ${peer} lost${err !== undefined ? `: ${err.message}` : ''}`)
      for (const settle of [...ch.pending.values()]) settle(e)
    }
    stream.addEventListener('close', evt => { lost(evt.error) })
    stream.addEventListener('remoteCloseWrite', () => { lost(undefined); void closeQuietly(stream) })
    this.readReplies(ch, peer)
    this.open.set(peer, ch)
    return ch
  }

  private readReplies (ch: Channel, peer: string): void {
    const decoder = new FrameDecoder(this.init.maxFrameBytes)
    onChunks(ch.stream, chunk => {
      decoder.push(chunk, {
        frame: bytes => { this.onReply(ch, peer, bytes) },
        oversize: length => {
          this.init.counters.droppedFrames.oversize++
          this.init.log.warn({ peer, length }, 'dropped oversize rpc reply')
        }
      })
    })
  }

  private onReply (ch: Channel, peer: string, bytes: Uint8Array): void {
    let frame
    try {
      frame = decodeRpcFrame(bytes)
    } catch {
      this.init.counters.droppedFrames.undecodable++
      return
    }
    if (frame === undefined || (frame.kind !== RPC_REPLY && frame.kind !== RPC_ERROR)) {
      this.init.counters.droppedFrames.invalid++
      return
    }
    const settle = ch.pending.get(frame.id)
    if (settle === undefined) return // the call timed out or was aborted meanwhile
    if (frame.kind === RPC_REPLY) settle(undefined, frame.body)
    else settle(new RemoteError(frame.name, frame.message, peer))
  }
}

async function raceAbort<T> (p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) throw new RpcAbortedError('aborted')
  return await new Promise<T>((resolve, reject) => {
    const onAbort = (): void => { reject(new RpcAbortedError('aborted')) }
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(resolve, reject).finally(() => { signal.removeEventListener('abort', onAbort) })
  })
}
