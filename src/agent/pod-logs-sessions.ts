// The log streams this node serves to other agents over the mesh (`podLogs` polls): one LogCursor per
// stream, owned by the peer that opened it. A stream nobody polls for idleMs is dropped, and dropping
// it aborts the runtime's read: a relay whose HTTP client went away stops costing anything here.
import { randomUUID } from 'node:crypto'
import { LogCursor } from './pod-logs-cursor.js'

/** Which container's output, as the runtime's `logs` takes it. */
export interface LogOpen {
  readonly uid: string
  readonly container: string
  readonly follow: boolean
  readonly tail?: number
  /** The run before the current one. */
  readonly previous?: boolean
}

/** A poll: without `session` it opens a stream (cursor 0); with it, it asks for the output after `cursor`. */
export interface LogPollRequest extends LogOpen {
  readonly session?: string
  readonly cursor: number
  readonly waitMs: number
}

export interface LogPollReply {
  readonly session: string
  readonly chunk: Uint8Array
  readonly cursor: number
  readonly ended: boolean
}

/** The session is unknown here: it expired (not polled for a while), ended, or belongs to another peer. */
export class LogSessionGoneError extends Error {
  static override readonly name = 'LogSessionGoneError'
  override readonly name = 'LogSessionGoneError'
}

export class TooManyLogStreamsError extends Error {
  static override readonly name = 'TooManyLogStreamsError'
  override readonly name = 'TooManyLogStreamsError'
}

export interface LogSessionsOptions {
  /** A stream not polled for this long is dropped. Default 30 s. */
  readonly idleMs?: number
  /** Default 64. */
  readonly maxSessions?: number
  /** The most one reply carries. Default 128 KiB. */
  readonly maxChunkBytes?: number
  /** A poll waits at most this long for new output, whatever it asks. Default 5 s. */
  readonly maxWaitMs?: number
  readonly newId?: () => string
}

interface Session {
  readonly owner: string
  readonly cursor: LogCursor
  readonly abort: AbortController
  /** Polls of one session run one after another. */
  queue: Promise<unknown>
  idle: NodeJS.Timeout | undefined
}

export class LogSessions {
  private readonly sessions = new Map<string, Session>()
  private readonly idleMs: number
  private readonly maxSessions: number
  private readonly maxChunkBytes: number
  private readonly maxWaitMs: number
  private readonly newId: () => string

  constructor(
    private readonly open: (req: LogOpen, signal: AbortSignal) => AsyncIterable<Uint8Array>,
    opts: LogSessionsOptions = {},
  ) {
    this.idleMs = opts.idleMs ?? 30_000
    this.maxSessions = opts.maxSessions ?? 64
    this.maxChunkBytes = opts.maxChunkBytes ?? 128 * 1024
    this.maxWaitMs = opts.maxWaitMs ?? 5_000
    this.newId = opts.newId ?? randomUUID
  }

  get size(): number {
    return this.sessions.size
  }

  async poll(from: string, req: LogPollRequest): Promise<LogPollReply> {
    const id = req.session ?? this.start(from, req)
    const s = this.sessions.get(id)
    if (!s || s.owner !== from) throw new LogSessionGoneError(`log stream ${id} is gone from this node (idle for over ${this.idleMs} ms, or ended); start the request again`)
    const waitMs = Math.max(0, Math.min(req.waitMs, this.maxWaitMs))
    const run = s.queue.then(async () => {
      clearTimeout(s.idle)
      try {
        const r = await s.cursor.poll(req.cursor, waitMs)
        if (r.ended) this.drop(id)
        return { session: id, ...r }
      } catch (err) {
        this.drop(id)
        throw err
      } finally {
        if (this.sessions.get(id) === s) s.idle = setTimeout(() => this.drop(id), this.idleMs).unref()
      }
    })
    s.queue = run.catch(() => undefined)
    return run
  }

  /** The reader is done with the stream (its client went away). */
  close(from: string, id: string): void {
    if (this.sessions.get(id)?.owner === from) this.drop(id)
  }

  closeAll(): void {
    for (const id of [...this.sessions.keys()]) this.drop(id)
  }

  private start(from: string, req: LogOpen): string {
    if (this.sessions.size >= this.maxSessions) throw new TooManyLogStreamsError(`this node already serves ${this.maxSessions} log streams; retry when some end`)
    const id = this.newId()
    const abort = new AbortController()
    const source = this.open(req, abort.signal)[Symbol.asyncIterator]()
    this.sessions.set(id, { owner: from, cursor: new LogCursor(source, this.maxChunkBytes), abort, queue: Promise.resolve(), idle: undefined })
    return id
  }

  private drop(id: string): void {
    const s = this.sessions.get(id)
    if (!s) return
    this.sessions.delete(id)
    clearTimeout(s.idle)
    s.abort.abort()
    s.cursor.close()
  }
}
