// Serves inbound /podmesh/rpc/1 streams: runs the registered handler per request, replies on the same stream.
import { NoSuchMethodError } from './errors.js'
import { FrameDecoder } from './frame.js'
import { FrameWriter } from './frame-writer.js'
import { RPC_REQUEST, decodeRpcFrame, encodeError, encodeReply } from './rpc-wire.js'
import { onChunks } from './stream-io.js'
import type { FrameDropReason, NetCounters } from './counters.js'
import type { Logger } from './logger.js'
import type { Stream } from '@libp2p/interface'

export type RpcHandler = (body: unknown, fromPeer: string) => Promise<unknown> | unknown

export class RpcServer {
  private readonly handlers = new Map<string, RpcHandler>()

  constructor (private readonly counters: NetCounters, private readonly log: Logger, private readonly maxFrameBytes: number) {}

  /** Registers the handler of a method, replacing any previous one; returns a function that unregisters it. */
  handle (method: string, handler: RpcHandler): () => void {
    this.handlers.set(method, handler)
    return () => {
      if (this.handlers.get(method) === handler) this.handlers.delete(method)
    }
  }

  /** Runs a handler in-process, for calls a node makes to itself. */
  async invoke (method: string, body: unknown, fromPeer: string): Promise<unknown> {
    const handler = this.handlers.get(method)
    if (handler === undefined) throw new NoSuchMethodError(`no handler for method ${method}`)
    return await handler(body, fromPeer)
  }

  serve (stream: Stream, remotePeer: string): void {
    const writer = new FrameWriter(stream)
    const decoder = new FrameDecoder(this.maxFrameBytes)
    const drop = (reason: FrameDropReason, details: Record<string, unknown>): void => {
      this.counters.droppedFrames[reason]++
      this.log.warn({ peer: remotePeer, reason, ...details }, 'dropped inbound rpc frame')
    }
    onChunks(stream, chunk => {
      decoder.push(chunk, {
        frame: body => { this.onFrame(body, remotePeer, writer, drop) },
        oversize: length => { drop('oversize', { length }) }
      })
    })
    stream.addEventListener('remoteCloseWrite', () => { void stream.close().catch(() => {}) })
  }

  private onFrame (bytes: Uint8Array, remotePeer: string, writer: FrameWriter, drop: (r: FrameDropReason, d: Record<string, unknown>) => void): void {
    let frame
    try {
      frame = decodeRpcFrame(bytes)
    } catch (err) {
      drop('undecodable', { err: (err as Error).message })
      return
    }
    if (frame?.kind !== RPC_REQUEST) {
      drop('invalid', {})
      return
    }
    const { id, method, body } = frame
    this.invoke(method, body, remotePeer).then(
      reply => { writer.write(this.replyFrame(id, method, reply)) },
      (err: unknown) => {
        const e = err instanceof Error ? err : new Error(String(err))
        writer.write(encodeError(id, e.name, e.message))
      }
    )
  }

  private replyFrame (id: number, method: string, reply: unknown): Uint8Array {
    let bytes: Uint8Array
    try {
      bytes = encodeReply(id, reply)
    } catch (err) {
      this.log.error({ err, method }, 'rpc reply cannot be encoded')
      return encodeError(id, 'RpcEncodeError', `reply of ${method} cannot be encoded: ${(err as Error).message}`)
    }
    if (bytes.length > this.maxFrameBytes) {
      this.log.warn({ method, bytes: bytes.length }, 'rpc reply over the frame limit')
      return encodeError(id, 'FrameTooLargeError', `reply of ${method} is ${bytes.length} bytes, over the ${this.maxFrameBytes} byte limit`)
    }
    return bytes
  }
}
