// The state of one probe of one container run, as the kubelet's prober worker keeps it. Pure: the
// supervisor asks when the probe is due, runs it, and records the outcome here.
//
// Initial results: readiness starts as failure (not ready until a probe passes), liveness as success,
// startup as unknown. A result changes only after failureThreshold consecutive failures or
// successThreshold consecutive successes. A failed liveness or startup probe means "restart this
// container": the tracker then holds (no more probes) until the supervisor makes a new one.
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
    return Math.max(first, this.lastRunAt + this.probe.periodSeconds * 1000)
  }

  /** Records one probe outcome at `now`; returns the new result when it changed. */
  record (ok: boolean, now: number): ProbeResult | undefined {
    if (this.held) return undefined
    this.lastRunAt = now
    this.run = this.lastOutcome === ok ? this.run + 1 : 1
    this.lastOutcome = ok
    const threshold = ok ? this.probe.successThreshold : this.probe.failureThreshold
    if (this.run < threshold) return undefined
    const next: ProbeResult = ok ? 'success' : 'failure'
    if (!ok && this.kind !== 'readiness') this.held = true
    if (ok && this.kind === 'startup') this.held = true
    if (next === this.current) return undefined
    this.current = next
    return next
  }
}
