// One peer's outbound Raft channel: a long-lived stream, a bounded queue in front of it,
// batched pipelined writes, and redialling with backoff while the peer is down (unless it is a reply
// link, which lives as long as its first stream: reply-links.ts).
import { encode } from '../raft/codec.js'
import { encodeFrames } from './frame.js'
import { SendQueue } from './send-queue.js'
import { closeQuietly } from './stream-io.js'
import type { Backoff } from './backoff.js'
import type { NetCounters } from './counters.js'
import type { Logger } from './logger.js'
import type { Message } from '../raft/types.js'
import type { Stream } from '@libp2p/interface'

export interface RaftLinkInit {
  readonly peer: string
  /** Dials the peer and opens a Raft stream. */
  readonly open: (signal: AbortSignal) => Promise<Stream>
  readonly backoff: Backoff
  readonly counters: NetCounters
  readonly log: Logger
  readonly maxFrameBytes: number
  readonly maxQueuedMessages: number
  readonly maxQueuedBytes: number
  /** Largest write: frames are coalesced up to this many bytes. */
  readonly maxBatchBytes: number
  /** Default true. False: the first failed open or lost stream stops the link for good. */
  readonly redial?: boolean
  readonly onConnected: () => void
  readonly onDisconnected: (err: Error | undefined) => void
  readonly onQueueDrop: (n: number) => void
}

type State = 'connecting' | 'open' | 'waiting' | 'stopped'

export class RaftLink {
  private readonly queue: SendQueue
  private state: State = 'waiting'
  private stream: Stream | undefined
  private timer: NodeJS.Timeout | undefined
  private connectAbort: AbortController | undefined
  private flushScheduled = false
  private flushing = false

  constructor (private readonly init: RaftLinkInit) {
    this.queue = new SendQueue({ maxMessages: init.maxQueuedMessages, maxBytes: init.maxQueuedBytes })
  }

  get queued (): number { return this.queue.length }
  get isOpen (): boolean { return this.state === 'open' }
  /** A getter, not a field test, because the state changes across awaits. */
  private get stopped (): boolean { return this.state === 'stopped' }

  start (): void {
    void this.connect()
  }

  stop (): void {
    this.state = 'stopped'
    clearTimeout(this.timer)
    this.connectAbort?.abort()
    const s = this.stream
    this.stream = undefined
    if (s !== undefined) void closeQuietly(s)
    this.queue.clear()
  }

  enqueue (m: Message): void {
    if (this.state === 'stopped') return
    let body: Uint8Array
    try {
      body = encode(m)
    } catch (err) {
      this.init.counters.droppedSends.unencodable++
      this.init.log.error({ err, type: m.type }, 'cannot encode raft message')
      return
    }
    if (body.length > this.init.maxFrameBytes) {
      this.init.counters.droppedSends.oversize++
      this.init.log.warn({ type: m.type, bytes: body.length, max: this.init.maxFrameBytes }, 'raft message over the frame limit, dropped')
      return
    }
    const dropped = this.queue.push(body)
    if (dropped > 0) {
      this.init.counters.droppedSends.queueFull += dropped
      this.init.onQueueDrop(dropped)
    }
    this.scheduleFlush()
  }

  private async connect (): Promise<void> {
    if (this.stopped) return
    this.state = 'connecting'
    const ac = new AbortController()
    this.connectAbort = ac
    let stream: Stream
    try {
      stream = await this.init.open(ac.signal)
    } catch (err) {
      if (this.stopped) return
      this.init.counters.dialFailures++
      this.init.log.debug({ err, failures: this.init.backoff.failures }, 'raft dial failed')
      this.init.onDisconnected(err as Error)
      this.reconnectOrStop()
      return
    } finally {
      this.connectAbort = undefined
    }
    if (this.stopped) {
      void closeQuietly(stream)
      return
    }
    this.attach(stream)
  }

  private attach (stream: Stream): void {
    this.stream = stream
    this.state = 'open'
    this.init.backoff.reset()
    const lost = (err: Error | undefined): void => {
      if (this.stream !== stream) return
      this.stream = undefined
      this.init.log.debug({ err }, 'raft stream closed')
      this.init.onDisconnected(err)
      if (!this.stopped) this.reconnectOrStop()
    }
    stream.addEventListener('close', evt => { lost(evt.error) })
    // The remote never writes on this stream; it half-closing means it is going away.
    stream.addEventListener('remoteCloseWrite', () => {
      lost(undefined)
      void closeQuietly(stream)
    })
    this.init.log.debug({}, 'raft stream open')
    this.init.onConnected()
    this.scheduleFlush()
  }

  private reconnectOrStop (): void {
    if (this.init.redial === false) this.stop()
    else this.scheduleReconnect()
  }

  private scheduleReconnect (): void {
    this.state = 'waiting'
    clearTimeout(this.timer)
    this.timer = setTimeout(() => { void this.connect() }, this.init.backoff.next())
  }

  /** Deferred to a microtask so that messages sent in the same tick leave in one write. */
  private scheduleFlush (): void {
    if (this.flushScheduled || this.flushing || this.stream === undefined) return
    this.flushScheduled = true
    queueMicrotask(() => {
      this.flushScheduled = false
      void this.flush()
    })
  }

  private async flush (): Promise<void> {
    const stream = this.stream
    if (stream === undefined || this.flushing) return
    this.flushing = true
    try {
      while (this.queue.length > 0 && this.stream === stream) {
        const batch = this.queue.takeBatch(Number.MAX_SAFE_INTEGER, this.init.maxBatchBytes)
        const ready = stream.send(encodeFrames(batch))
        this.init.counters.messagesOut += batch.length
        this.init.counters.batchesOut++
        if (!ready) await stream.onDrain()
      }
    } catch (err) {
      // The stream died under us; its 'close' listener schedules the redial. Raft retransmits the lost batch.
      this.init.log.debug({ err }, 'raft stream write failed')
      stream.abort(err as Error)
    } finally {
      this.flushing = false
    }
    if (this.queue.length > 0) this.scheduleFlush()
  }
}
