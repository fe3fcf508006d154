// Exponential backoff with jitter for redialling a peer that is down.
// Delays for initialMs=50, maxMs=2000: ~[25,50], [50,100], [100,200], ... capped at [1000,2000].

export interface BackoffOptions {
  /** Default 50. */
  readonly initialMs?: number
  /** Default 2000. */
  readonly maxMs?: number
  /** Default 2. */
  readonly factor?: number
}

export class Backoff {
  private readonly initialMs: number
  private readonly maxMs: number
  private readonly factor: number
  private attempt = 0

  constructor (opts: BackoffOptions = {}, private readonly rand: () => number = Math.random) {
    this.initialMs = opts.initialMs ?? 50
    this.maxMs = opts.maxMs ?? 2000
    this.factor = opts.factor ?? 2
  }

  /** Consecutive failures since the last reset. */
  get failures (): number { return this.attempt }

  /** The delay before the next attempt: half fixed, half random, so peers restarting together do not redial in lockstep. */
  next (): number {
    const base = Math.min(this.maxMs, this.initialMs * Math.pow(this.factor, this.attempt))
    this.attempt++
    return base / 2 + this.rand() * (base / 2)
  }

  reset (): void {
    this.attempt = 0
  }
}
