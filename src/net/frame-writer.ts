// Coalesces frames written to one stream in the same tick into one write, and respects backpressure.
import { encodeFrames } from './frame.js'
import type { Stream } from '@libp2p/interface'

export class FrameWriter {
  private pending: Uint8Array[] = []
  private scheduled = false
  private flushing = false

  constructor (private readonly stream: Stream, private readonly maxBatchBytes = 1024 * 1024) {}

  write (body: Uint8Array): void {
    this.pending.push(body)
    if (this.scheduled || this.flushing) return
    this.scheduled = true
    queueMicrotask(() => {
      this.scheduled = false
      void this.flush()
    })
  }

  private async flush (): Promise<void> {
    this.flushing = true
    try {
      while (this.pending.length > 0) {
        const batch = this.takeBatch()
        if (!this.stream.send(encodeFrames(batch))) await this.stream.onDrain()
      }
    } catch (err) {
      this.pending = []
      this.stream.abort(err as Error)
    } finally {
      this.flushing = false
    }
  }

  private takeBatch (): Uint8Array[] {
    let size = 0
    let n = 0
    while (n < this.pending.length && (n === 0 || size + (this.pending[n] as Uint8Array).length <= this.maxBatchBytes)) {
      size += (this.pending[n] as Uint8Array).length
      n++
    }
    return this.pending.splice(0, n)
  }
}
