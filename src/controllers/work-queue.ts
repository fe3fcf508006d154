// A de-duplicating work queue with per-key backoff, as Kubernetes controllers use: event handlers only
// add keys; one worker takes a key, runs sync(key) from what is observed now, and on failure the key
// comes back after 50 ms, 100 ms, … up to 5 s. A key added while it is being synced runs once more after.

export interface WorkQueueOptions {
  readonly baseDelayMs?: number
  readonly maxDelayMs?: number
}

export type Sync = (key: string) => Promise<void>

export class WorkQueue {
  private readonly queued = new Set<string>()
  private readonly order: string[] = []
  private readonly failures = new Map<string, number>()
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private running = false
  private stopped = false
  private readonly base: number
  private readonly max: number

  constructor(
    private readonly sync: Sync,
    private readonly onError: (key: string, err: unknown, retryInMs: number) => void,
    opts: WorkQueueOptions = {},
  ) {
    this.base = opts.baseDelayMs ?? 50
    this.max = opts.maxDelayMs ?? 5_000
  }

  add(key: string): void {
    if (this.stopped || this.queued.has(key)) return
    this.queued.add(key)
    this.order.push(key)
    if (this.running) return
    // Start on a microtask: the keys added by one event handler coalesce before the first sync.
    this.running = true
    queueMicrotask(() => void this.drain())
  }

  get length(): number {
    return this.order.length
  }

  /** Drops every key and timer (leadership lost); the queue can be used again after start(). */
  stop(): void {
    this.stopped = true
    this.queued.clear()
    this.order.length = 0
    this.failures.clear()
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
  }

  start(): void {
    this.stopped = false
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && this.order.length > 0) {
        const key = this.order.shift()!
        this.queued.delete(key)
        try {
          await this.sync(key)
          this.failures.delete(key)
        } catch (err) {
          this.retryLater(key, err)
        }
      }
    } finally {
      this.running = false
    }
  }

  private retryLater(key: string, err: unknown): void {
    if (this.stopped) return
    const n = (this.failures.get(key) ?? 0) + 1
    this.failures.set(key, n)
    const delay = Math.min(this.max, this.base * 2 ** (n - 1))
    this.onError(key, err, delay)
    if (this.timers.has(key)) return
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key)
        this.add(key)
      }, delay),
    )
  }
}
