/** The driver's linearizable read: resolves once this node has applied up to a fresh read index. */
export interface ReadIndexSource {
  readIndex(opts: { readonly signal?: AbortSignal }): Promise<number>
}

export interface ReadBarrierOptions {
  /** A round that takes longer fails every read waiting on it. Default 5 s. */
  readonly timeoutMs?: number
}

interface Waiter {
  resolve(): void
  reject(err: Error): void
}

/**
 * Shares one ReadIndex round among concurrent reads (etcd batches its linearizable reads the same way).
 * A read may only join a round that starts after it arrived: one started earlier could have been
 * confirmed before a write this reader already saw acknowledged. So reads that arrive while a round is in
 * flight wait for the next one, which starts as soon as the current one ends: at most two round trips.
 * An idle barrier starts its round on setImmediate, so the reads of one I/O poll share it.
 */
export class ReadBarrier {
  private waiting: Waiter[] = []
  private inFlight = false
  private readonly timeoutMs: number
  /** Rounds started, for tests and metrics. */
  rounds = 0

  constructor(
    private readonly source: ReadIndexSource,
    opts: ReadBarrierOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 5_000
  }

  wait(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject })
      if (!this.inFlight) {
        this.inFlight = true
        setImmediate(this.startRound)
      }
    })
  }

  private readonly startRound = (): void => {
    const batch = this.waiting
    this.waiting = []
    this.rounds++
    this.source.readIndex({ signal: AbortSignal.timeout(this.timeoutMs) }).then(
      () => this.finish(batch, undefined),
      (err: Error) => this.finish(batch, err),
    )
  }

  private finish(batch: readonly Waiter[], err: Error | undefined): void {
    for (const w of batch) {
      if (err) w.reject(err)
      else w.resolve()
    }
    if (this.waiting.length > 0) this.startRound()
    else this.inFlight = false
  }
}
