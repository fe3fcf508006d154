// Gathers the writes a connection makes in one turn of the event loop into one socket write.
//
// Above the socket sit Noise and yamux, and every yamux frame (a Raft batch, an RPC reply, the window
// update yamux sends back for each data frame it receives) used to be its own socket write: on this
// VM a write costs 10–60 µs of CPU, the largest single item of a busy leader's profile. Frames written
// while one event is handled, or by several events handled in the same poll phase, now leave together
// once that phase is over (setImmediate). A peer reading one larger chunk also decrypts and decodes
// fewer chunk boundaries.
//
// Backpressure is kept: the writer is told to wait (push returns false) while the socket wants a drain
// or too much is gathered, and `onWritable` tells it when to go on.

export interface WriteCoalescerInit {
  /**
   * Writes the gathered chunks, in order, as one buffer to the socket; false means it wants a drain
   * before more. May throw. The chunks are the writer's own arrays: writers must not reuse them.
   */
  readonly write: (chunks: readonly Uint8Array[], byteLength: number) => boolean
  /** The writer that was told to wait may write again. */
  readonly onWritable: () => void
  /** A write threw: the connection is broken. */
  readonly onError: (err: Error) => void
  /** Gathered bytes at which the writer is told to wait. Default 256 KiB. */
  readonly maxPendingBytes?: number
  /** When to flush what was gathered. Default setImmediate: after the I/O events of this loop turn. */
  readonly schedule?: (flush: () => void) => void
}

export class WriteCoalescer {
  private pending: Uint8Array[] = []
  private pendingBytes = 0
  private scheduled = false
  /** The socket returned false: wait for its drain. */
  private socketFull = false
  /** push returned false: the writer waits for onWritable. */
  private writerWaiting = false
  private readonly maxPendingBytes: number
  private readonly schedule: (flush: () => void) => void
  private readonly flushNow = (): void => { this.flush() }

  constructor (private readonly init: WriteCoalescerInit) {
    this.maxPendingBytes = init.maxPendingBytes ?? 256 * 1024
    this.schedule = init.schedule ?? setImmediate
  }

  get pendingByteLength (): number { return this.pendingBytes }

  /** Queues bytes for the next flush. False: wait for onWritable before pushing more (more is still taken). */
  push (bytes: Uint8Array): boolean {
    this.pending.push(bytes)
    this.pendingBytes += bytes.byteLength
    if (!this.scheduled && !this.socketFull) {
      this.scheduled = true
      this.schedule(this.flushNow)
    }
    if (this.socketFull || this.pendingBytes >= this.maxPendingBytes) {
      this.writerWaiting = true
      return false
    }
    return true
  }

  /** The socket drained: write what gathered meanwhile, and let a waiting writer go on. */
  socketDrained (): void {
    this.socketFull = false
    this.flush()
  }

  /** Writes everything gathered now, whatever the socket says (before a graceful close). */
  flushAll (): void {
    this.writePending()
  }

  /** Drops what was gathered (the connection is gone). */
  clear (): void {
    this.pending = []
    this.pendingBytes = 0
    this.writerWaiting = false
  }

  private flush (): void {
    this.scheduled = false
    if (this.socketFull) return
    if (!this.writePending()) this.socketFull = true
    if (!this.socketFull && this.writerWaiting) {
      this.writerWaiting = false
      this.init.onWritable()
    }
  }

  /** False when the socket wants a drain. */
  private writePending (): boolean {
    if (this.pending.length === 0) return true
    const chunks = this.pending
    const bytes = this.pendingBytes
    this.pending = []
    this.pendingBytes = 0
    try {
      return this.init.write(chunks, bytes)
    } catch (err) {
      this.clear()
      this.init.onError(err instanceof Error ? err : new Error(String(err)))
      return true
    }
  }
}
