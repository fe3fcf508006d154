// A bounded FIFO of encoded frame bodies for one peer. When full, the oldest are dropped:
// Raft retransmits what it does not see acknowledged, and fresh messages matter more than stale ones.

export interface SendQueueLimits {
  readonly maxMessages: number
  readonly maxBytes: number
}

export class SendQueue {
  private items: Uint8Array[] = []
  private head = 0
  private bytes = 0

  constructor (private readonly limits: SendQueueLimits) {}

  get length (): number { return this.items.length - this.head }
  get byteLength (): number { return this.bytes }

  /** Appends a body; returns how many old bodies were dropped to make room. */
  push (body: Uint8Array): number {
    this.items.push(body)
    this.bytes += body.length
    let dropped = 0
    while (this.length > 1 && (this.length > this.limits.maxMessages || this.bytes > this.limits.maxBytes)) {
      this.shiftOne()
      dropped++
    }
    return dropped
  }

  /** Removes up to maxMessages bodies totalling about maxBytes (at least one if any). */
  takeBatch (maxMessages: number, maxBytes: number): Uint8Array[] {
    const out: Uint8Array[] = []
    let size = 0
    while (this.length > 0 && out.length < maxMessages) {
      const next = this.items[this.head] as Uint8Array
      if (out.length > 0 && size + next.length > maxBytes) break
      out.push(this.shiftOne())
      size += next.length
    }
    return out
  }

  clear (): number {
    const n = this.length
    this.items = []
    this.head = 0
    this.bytes = 0
    return n
  }

  private shiftOne (): Uint8Array {
    const item = this.items[this.head] as Uint8Array
    this.head++
    this.bytes -= item.length
    // Compact once the consumed prefix dominates, keeping shifts amortized O(1).
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return item
  }
}
