// A log source a test feeds by hand: pieces pushed are yielded in order; end() finishes it, fail() throws.
export class Pushable implements AsyncIterableIterator<Uint8Array> {
  private readonly queue: Uint8Array[] = []
  private waiter: (() => void) | undefined
  private ended = false
  private error: Error | undefined
  returned = false

  constructor(signal?: AbortSignal) {
    signal?.addEventListener('abort', () => this.end())
  }

  push(text: string): void {
    this.queue.push(new TextEncoder().encode(text))
    this.wake()
  }

  end(): void {
    this.ended = true
    this.wake()
  }

  fail(err: Error): void {
    this.error = err
    this.wake()
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    for (;;) {
      const v = this.queue.shift()
      if (v) return { value: v, done: false }
      if (this.error) throw this.error
      if (this.ended) return { value: undefined, done: true }
      await new Promise<void>((r) => (this.waiter = r))
    }
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    this.returned = true
    this.ended = true
    this.wake()
    return { value: undefined, done: true }
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  private wake(): void {
    const w = this.waiter
    this.waiter = undefined
    w?.()
  }
}

export const text = (b: Uint8Array): string => new TextDecoder().decode(b)
