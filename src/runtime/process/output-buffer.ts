// A child process's output, kept in memory (the last maxBytes) and followed by readers like `docker logs -f`.

export class OutputBuffer {
  private chunks: Uint8Array[] = []
  private size = 0
  private ended = false
  private readonly waiters = new Set<() => void>()

  constructor (private readonly maxBytes = 1 << 20) {}

  push (chunk: Uint8Array): void {
    this.chunks.push(chunk)
    this.size += chunk.length
    while (this.size > this.maxBytes && this.chunks.length > 1) this.size -= this.chunks.shift()!.length
    this.wake()
  }

  end (): void {
    this.ended = true
    this.wake()
  }

  /** The last `tail` lines (all when absent), then, with follow, new output until the end or the signal. */
  async * read (opts: { follow?: boolean, tail?: number, signal?: AbortSignal }): AsyncIterable<Uint8Array> {
    const first = tailLines(Buffer.concat(this.chunks), opts.tail)
    let last = this.chunks[this.chunks.length - 1]
    if (first.length > 0) yield first
    while (opts.follow === true && opts.signal?.aborted !== true) {
      // Where we left off (0 if that chunk has since been dropped from the front).
      const at = last === undefined ? 0 : this.chunks.lastIndexOf(last) + 1
      for (const c of this.chunks.slice(at)) yield c
      last = this.chunks[this.chunks.length - 1]
      if (this.ended) return
      await this.next(opts.signal)
    }
  }

  private next (signal?: AbortSignal): Promise<void> {
    return new Promise(resolve => {
      const done = (): void => { this.waiters.delete(done); signal?.removeEventListener('abort', done); resolve() }
      this.waiters.add(done)
      signal?.addEventListener('abort', done)
    })
  }

  private wake (): void {
    for (const w of [...this.waiters]) w()
  }
}

function tailLines (buf: Buffer, tail: number | undefined): Uint8Array {
  if (tail === undefined || tail < 0) return new Uint8Array(buf)
  if (tail === 0) return new Uint8Array(0)
  let lines = 0
  // The final newline ends the last line; it does not start another.
  for (let i = buf.length - 2; i >= 0; i--) {
    if (buf[i] === 10 && ++lines === tail) return new Uint8Array(buf.subarray(i + 1))
  }
  return new Uint8Array(buf)
}
