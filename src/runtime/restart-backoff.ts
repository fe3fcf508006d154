// When to restart a container that exited, and how long to wait first (CrashLoopBackOff).
//
// Kubernetes waits 10 s, doubling to 5 min, and resets after 10 min of running. podmesh wants a killed
// container back within 1 s, so the first restart is immediate; a container that keeps crashing then
// waits 1 s, 2 s, 4 s, ... capped at 60 s. A run of 10 min or more counts as stable and resets it:
//
//   crash #   1   2   3   4   5    6    7    8    9 ...
//   delay     0   1s  2s  4s  8s  16s  32s  60s  60s
import type { RestartPolicy } from '../resources/index.js'

export interface RestartBackoffOptions {
  /** The second delay (the first is 0 when immediateFirst). Default 1000. */
  readonly initialMs?: number
  /** Default 60000. */
  readonly maxMs?: number
  /** A run at least this long resets the backoff. Default 600000 (10 min). */
  readonly resetAfterMs?: number
  /** Default true. Image pulls use false: 1 s, 2 s, 4 s, ... */
  readonly immediateFirst?: boolean
}

export class RestartBackoff {
  private readonly initialMs: number
  private readonly maxMs: number
  private readonly resetAfterMs: number
  private readonly immediateFirst: boolean
  private attempts = 0

  constructor (opts: RestartBackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 1000
    this.maxMs = opts.maxMs ?? 60_000
    this.resetAfterMs = opts.resetAfterMs ?? 600_000
    this.immediateFirst = opts.immediateFirst ?? true
  }

  /** Failures counted since the last reset. */
  get failures (): number { return this.attempts }

  /** The delay before the next attempt, given how long the last attempt ran (0 for a failed start or pull). */
  next (ranMs = 0): number {
    if (ranMs >= this.resetAfterMs) this.attempts = 0
    const n = this.immediateFirst ? this.attempts - 1 : this.attempts
    this.attempts++
    if (n < 0) return 0
    return Math.min(this.maxMs, this.initialMs * 2 ** Math.min(n, 30))
  }

  reset (): void {
    this.attempts = 0
  }

  /** Continues from `failures` counted by an earlier agent (kept with the container it started). */
  restore (failures: number): void {
    this.attempts = Math.max(0, Math.floor(failures))
  }
}

/** Whether restartPolicy brings back a container that exited with this code. */
export function shouldRestart (policy: RestartPolicy, exitCode: number): boolean {
  if (policy === 'Always') return true
  if (policy === 'OnFailure') return exitCode !== 0
  return false
}
