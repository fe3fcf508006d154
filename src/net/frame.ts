// Length-prefixed frames: a 4-byte big-endian length, then that many bytes of body.
// The decoder is pure (bytes in, frames out) so it can be tested on arbitrary chunkings.

export const PREFIX_BYTES = 4
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024
/** The largest length a 4-byte prefix can carry. */
export const MAX_PREFIX_LENGTH = 0xffff_ffff

export interface FrameSink {
  /** A complete frame body. The bytes are a private copy the receiver may keep. */
  frame: (body: Uint8Array) => void
  /** A frame announced `length` bytes, over the limit: its bytes are skipped as they arrive, never buffered. */
  oversize: (length: number) => void
}

export class FrameDecoder {
  private readonly chunks: Uint8Array[] = []
  private headOffset = 0
  private buffered = 0
  /** Body length of the frame being read, or -1 while reading a prefix. */
  private bodyLength = -1
  private skipping = 0

  constructor (private readonly maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {}

  /** Bytes held waiting for the rest of a frame (never more than maxFrameBytes + prefix + one chunk). */
  get bufferedBytes (): number { return this.buffered }

  push (chunk: Uint8Array, sink: FrameSink): void {
    let data = chunk
    if (this.skipping > 0) {
      const n = Math.min(this.skipping, data.length)
      this.skipping -= n
      data = data.subarray(n)
    }
    if (data.length === 0) return
    this.chunks.push(data)
    this.buffered += data.length
    this.drain(sink)
  }

  private drain (sink: FrameSink): void {
    for (;;) {
      if (this.bodyLength < 0) {
        if (this.buffered < PREFIX_BYTES) return
        const p = this.take(PREFIX_BYTES)
        const length = ((p[0] as number) * 0x100_0000) + (((p[1] as number) << 16) | ((p[2] as number) << 8) | (p[3] as number))
        if (length > this.maxFrameBytes) {
          sink.oversize(length)
          this.skip(length)
          continue
        }
        this.bodyLength = length
      }
      if (this.buffered < this.bodyLength) return
      const body = this.take(this.bodyLength)
      this.bodyLength = -1
      sink.frame(body)
    }
  }

  /** Discards n bytes: those already buffered now, the rest as they arrive. */
  private skip (n: number): void {
    const now = Math.min(n, this.buffered)
    this.consume(now)
    this.skipping = n - now
  }

  /** Removes n <= buffered bytes from the front into a fresh array. */
  private take (n: number): Uint8Array {
    const out = new Uint8Array(n)
    let filled = 0
    while (filled < n) {
      const head = this.chunks[0] as Uint8Array
      const count = Math.min(n - filled, head.length - this.headOffset)
      out.set(head.subarray(this.headOffset, this.headOffset + count), filled)
      filled += count
      this.advance(count)
    }
    return out
  }

  private consume (n: number): void {
    let left = n
    while (left > 0) {
      const head = this.chunks[0] as Uint8Array
      const count = Math.min(left, head.length - this.headOffset)
      left -= count
      this.advance(count)
    }
  }

  private advance (count: number): void {
    this.headOffset += count
    this.buffered -= count
    if (this.headOffset === (this.chunks[0] as Uint8Array).length) {
      this.chunks.shift()
      this.headOffset = 0
    }
  }
}

/** Concatenates bodies into one buffer of prefixed frames, ready for one write. */
export function encodeFrames (bodies: readonly Uint8Array[]): Uint8Array {
  let total = 0
  for (const b of bodies) total += PREFIX_BYTES + b.length
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  let at = 0
  for (const b of bodies) {
    view.setUint32(at, b.length)
    out.set(b, at + PREFIX_BYTES)
    at += PREFIX_BYTES + b.length
  }
  return out
}
