// One log stream read in bounded chunks at its reader's pace: the runtime's iterator is advanced only
// when a poll asks for more, so a slow reader holds back the runtime, not memory. Each reply carries the
// byte offset it ends at (the cursor); a poll names the offset it has received up to, which acknowledges
// the previous reply, or, when it repeats the previous offset, asks for that reply again (its answer was
// lost on the way). So a retried poll neither skips nor repeats output.

export interface LogChunk {
  readonly chunk: Uint8Array
  /** The offset, in bytes from the start of this stream, just after `chunk`. */
  readonly cursor: number
  /** No more output will come (the container's output ended, or not following and all was sent). */
  readonly ended: boolean
}

/** A poll's cursor matches neither the last reply's start nor its end: the reader and the stream disagree. */
export class LogCursorError extends Error {
  static override readonly name = 'LogCursorError'
  override readonly name = 'LogCursorError'
}

const EMPTY = new Uint8Array(0)
const TIMEOUT = Symbol('timeout')
type Next = IteratorResult<Uint8Array> | typeof TIMEOUT

export class LogCursor {
  /** The last reply: the bytes from `at`; a poll at `at` gets it again, at its end gets what follows. */
  private last: { at: number; reply: LogChunk } = { at: 0, reply: { chunk: EMPTY, cursor: 0, ended: false } }
  /** The rest of a runtime piece larger than what one reply may carry. */
  private carry: Uint8Array = EMPTY
  /** A read of the runtime still under way (a poll gave up waiting for it; the next poll takes it over). */
  private pending: Promise<IteratorResult<Uint8Array>> | undefined
  private done = false

  constructor(
    private readonly source: AsyncIterator<Uint8Array>,
    private readonly maxChunkBytes: number,
  ) {}

  /**
   * The output after `cursor`: at most maxChunkBytes, as soon as some is there, else after waiting up to
   * waitMs (an empty chunk then: nothing new yet). Throws LogCursorError, or what the runtime threw.
   */
  async poll(cursor: number, waitMs: number): Promise<LogChunk> {
    const { at, reply } = this.last
    if (cursor === at && reply.chunk.length > 0) return reply
    if (cursor !== reply.cursor) throw new LogCursorError(`the reader is at byte ${cursor} but the stream's last reply covered ${at}-${reply.cursor}; start the request again`)
    if (reply.ended) return { chunk: EMPTY, cursor, ended: true }
    const next = await this.gather(waitMs)
    this.last = { at: cursor, reply: { chunk: next.chunk, cursor: cursor + next.chunk.length, ended: next.ended } }
    return this.last.reply
  }

  /** Stops reading the runtime (its iterator's return runs its cleanup). */
  close(): void {
    this.done = true
    void this.source.return?.().catch(() => undefined)
  }

  private async gather(waitMs: number): Promise<{ chunk: Uint8Array; ended: boolean }> {
    const parts: Uint8Array[] = []
    let size = this.takeCarry(parts, 0)
    while (size < this.maxChunkBytes && !this.done) {
      // Wait for the first bytes; after that take only what the runtime has ready now.
      const r = await this.next(size === 0 ? waitMs : -1)
      if (r === TIMEOUT) break
      if (r.done === true) {
        this.done = true
        break
      }
      this.carry = r.value
      size = this.takeCarry(parts, size)
    }
    const chunk = parts.length === 1 ? parts[0]! : parts.length === 0 ? EMPTY : concat(parts, size)
    return { chunk, ended: this.done && this.carry.length === 0 }
  }

  /** Moves up to what fits from `carry` into `parts`; returns the new size. */
  private takeCarry(parts: Uint8Array[], size: number): number {
    if (this.carry.length === 0) return size
    const room = this.maxChunkBytes - size
    const piece = this.carry.length <= room ? this.carry : this.carry.subarray(0, room)
    this.carry = this.carry.length <= room ? EMPTY : this.carry.subarray(room)
    parts.push(piece)
    return size + piece.length
  }

  /** The runtime's next piece, or TIMEOUT after waitMs (-1: after what is ready at once). */
  private async next(waitMs: number): Promise<Next> {
    if (!this.pending) {
      this.pending = this.source.next()
      // A read that fails after its poll stopped waiting must not be an unhandled rejection; the next poll sees it.
      this.pending.catch(() => undefined)
    }
    const p = this.pending
    let timer: NodeJS.Timeout | NodeJS.Immediate | undefined
    const timeout = new Promise<typeof TIMEOUT>((resolve) => {
      timer = waitMs < 0 ? setImmediate(() => resolve(TIMEOUT)) : setTimeout(() => resolve(TIMEOUT), waitMs)
    })
    try {
      const r = await Promise.race([p, timeout])
      if (r !== TIMEOUT) this.pending = undefined
      return r
    } catch (err) {
      this.pending = undefined
      this.done = true
      throw err
    } finally {
      if (waitMs < 0) clearImmediate(timer as NodeJS.Immediate)
      else clearTimeout(timer as NodeJS.Timeout)
    }
  }
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
