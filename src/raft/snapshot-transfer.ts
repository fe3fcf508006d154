// The leader's side of one chunked snapshot transfer to one follower. One chunk is in flight at a time:
// the follower acknowledges each chunk with the number of bytes it holds, which is the next offset to send.
import type { Snapshot } from './types.js'

export interface Chunk {
  readonly offset: number
  readonly data: Uint8Array
}

export class SnapshotTransfer {
  readonly snapshot: Snapshot
  /** Bytes the follower confirmed holding. */
  acked = 0
  /** End offset of the last chunk sent. */
  sent = 0
  /** Ticks since a chunk was last sent (drives a resend after a heartbeat round trip). */
  ticksSinceSend = 0
  /** Ticks since the follower last confirmed new bytes (drives abandoning a stalled transfer). */
  ticksSinceProgress = 0

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot
  }

  get index(): number {
    return this.snapshot.metadata.index
  }

  get totalBytes(): number {
    return this.snapshot.data.byteLength
  }

  /** Whether a chunk is out and not yet acknowledged. */
  outstanding(): boolean {
    return this.sent > this.acked
  }

  /** The chunk starting at offset, marking it sent. */
  take(offset: number, maxBytes: number): Chunk {
    const end = Math.min(this.totalBytes, offset + Math.max(1, maxBytes))
    this.sent = end
    this.ticksSinceSend = 0
    return { offset, data: this.snapshot.data.subarray(offset, end) }
  }

  tick(): void {
    this.ticksSinceSend++
    this.ticksSinceProgress++
  }
}
