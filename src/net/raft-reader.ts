// Turns the bytes of one inbound Raft stream into validated Messages from that stream's peer.
// Nothing a peer sends can throw out of here: bad frames are dropped, counted and logged.
import { decode } from '../raft/codec.js'
import { FrameDecoder } from './frame.js'
import { invalidMessageReason } from './validate.js'
import type { FrameDropReason, NetCounters } from './counters.js'
import type { Logger } from './logger.js'
import type { Message } from '../raft/types.js'

export interface RaftReaderInit {
  /** PeerId string of the connection's remote end: every message must come `from` it. */
  readonly remotePeer: string
  readonly maxFrameBytes: number
  readonly counters: NetCounters
  readonly log: Logger
  readonly deliver: (m: Message) => void
}

export class RaftReader {
  private readonly decoder: FrameDecoder

  constructor (private readonly init: RaftReaderInit) {
    this.decoder = new FrameDecoder(init.maxFrameBytes)
  }

  get bufferedBytes (): number { return this.decoder.bufferedBytes }

  push (chunk: Uint8Array): void {
    this.decoder.push(chunk, {
      frame: body => { this.onFrame(body) },
      oversize: length => { this.drop('oversize', { length, max: this.init.maxFrameBytes }) }
    })
  }

  private onFrame (body: Uint8Array): void {
    let value: unknown
    try {
      value = decode<unknown>(body)
    } catch (err) {
      this.drop('undecodable', { bytes: body.length, err: (err as Error).message })
      return
    }
    const reason = invalidMessageReason(value)
    if (reason !== undefined) {
      this.drop('invalid', { reason })
      return
    }
    const m = value as Message
    if (m.from !== this.init.remotePeer) {
      this.drop('spoofed', { claimedFrom: m.from })
      return
    }
    this.init.counters.messagesIn++
    try {
      this.init.deliver(m)
    } catch (err) {
      // A throwing handler is a bug upstream; the stream must keep flowing regardless.
      this.init.log.error({ err, type: m.type }, 'raft message handler threw')
    }
  }

  private drop (reason: FrameDropReason, details: Record<string, unknown>): void {
    const count = ++this.init.counters.droppedFrames[reason]
    // Log the 1st, 2nd, 4th, 8th... drop of each reason: a misbehaving peer cannot flood the logs.
    if ((count & (count - 1)) === 0) {
      this.init.log.warn({ peer: this.init.remotePeer, reason, count, ...details }, 'dropped inbound raft frame')
    }
  }
}
