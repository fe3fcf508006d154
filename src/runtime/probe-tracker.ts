// The state of one probe of one container run, as the kubelet's prober worker keeps it. Pure: the
// supervisor asks when the probe is due, runs it, and records the outcome here.
//
// Initial results: readiness starts as failure (not ready until a probe passes), liveness as success,
// startup as unknown. A result changes only after failureThreshold consecutive failures or
// successThreshold consecutive successes. A failed liveness or startup probe means "restart this
// container": the tracker then holds (no more probes) until the supervisor makes a new one.
//
// One deviation from the kubelet: until a readiness probe first passes, it retries after 100 ms,
// 200 ms, 400 ms, ... up to periodSeconds rather than after periodSeconds. Readiness starts as failure,
// so these probes change no result; they make a server that binds its port a moment after it starts
// Ready at once instead of a whole period later. Liveness and startup keep the period: their failures
// count towards failureThreshold.
import type { Probe } from '../resources/index.js'

export type ProbeKind = 'startup' | 'liveness' | 'readiness'
export type ProbeResult = 'success' | 'failure' | 'unknown'

const INITIAL: Readonly<Record<ProbeKind, ProbeResult>> = { startup: 'unknown', liveness: 'success', readiness: 'failure' }

export class ProbeTracker {
  private current: ProbeResult
  private lastOutcome: boolean | undefined
  private run = 0
  private lastRunAt: number | undefined
  private held = false
  private attempts = 0
  private passed = false

  constructor (readonly kind: ProbeKind, readonly probe: Probe, private readonly startedAt: number) {
    this.current = INITIAL[kind]
  }

  get result (): ProbeResult { return this.current }

  /** True once a liveness or startup failure asked for a restart, or a startup probe has succeeded. */
  get done (): boolean { return this.held }

  /** When the next probe should run: initialDelaySeconds after the container started, then every periodSeconds. */
  dueAt (): number {
    const first = this.startedAt + this.probe.initialDelaySeconds * 1000
    if (this.lastRunAt === undefined) return first
    return Math.max(first, this.lastRunAt + this.intervalMs())
  }

  private intervalMs (): number {
    const period = this.probe.periodSeconds * 1000
    if (this.kind !== 'readiness' || this.passed) return period
    return Math.min(period, 100 * 2 ** (this.attempts - 1))
  }

  /** Records one probe outcome at `now`; returns the new result when it changed. */
  record (ok: boolean, now: number): ProbeResult | undefined {
    if (this.held) return undefined
    this.lastRunAt = now
    this.attempts++
    this.run = this.lastOutcome === ok ? this.run + 1 : 1
    this.lastOutcome = ok
    const threshold = ok ? this.probe.successThreshold : this.probe.failureThreshold
    if (this.run < threshold) return undefined
    const next: ProbeResult = ok ? 'success' : 'failure'
    if (!ok && this.kind !== 'readiness') this.held = true
    if (ok && this.kind === 'startup') this.held = true
    if (next === 'success') this.passed = true
    if (next === this.current) return undefined
    this.current = next
    return next
  }
}
