// Each agent watches the pods bound to its node, hands them to its runtime, and reports what the runtime
// observes to the leader: at most one report per `reportMs` (default 500 ms), holding only the pods whose
// status differs from the stored one. The leader writes them as one Raft entry.
import type { Logger } from 'pino'
import { isLost, podNodeName } from '../controllers/objects.js'
import { reportDiffers } from '../controllers/pod-status.js'
import type { PodReport } from '../controllers/status-intake.js'
import type { PodRuntime } from '../runtime/types.js'
import type { ServiceEnvironment } from '../services/service-env.js'
import { canonicalJson } from '../state/canonical.js'
import type { ClusterState } from '../state/cluster-state.js'
import type { SecretBox } from '../state/secret-box.js'
import type { StoredObject } from '../state/store.js'
import { resolvePod } from './pod-env.js'

export interface PodSyncDeps {
  readonly nodeName: string
  readonly state: ClusterState
  readonly runtime: PodRuntime
  readonly secrets: SecretBox
  /** Sends reports to the leader; false or a throw when it could not (they are sent again). */
  readonly report: (reports: readonly PodReport[]) => Promise<boolean>
  readonly log: Logger
  /** Service discovery variables for each pod's containers. */
  readonly serviceEnv?: ServiceEnvironment
}

export interface PodSyncOptions {
  /** Reports to the leader at most this often. Default 500 ms. */
  readonly reportMs?: number
  /** A report the store does not reflect yet is sent again after this. Default 2 s. */
  readonly resendMs?: number
}

export class PodSync {
  private reconciling = false
  private again = false
  private flushTimer: NodeJS.Timeout | undefined
  private resync: NodeJS.Timeout | undefined
  private lastFlush = 0
  private sending = false
  private readonly sent = new Map<string, { text: string; at: number }>()
  private offs: (() => void)[] = []
  private readonly reportMs: number
  private readonly resendMs: number
  private closed = false

  constructor(
    private readonly deps: PodSyncDeps,
    opts: PodSyncOptions = {},
  ) {
    this.reportMs = opts.reportMs ?? 500
    this.resendMs = opts.resendMs ?? 2_000
  }

  start(): void {
    this.offs.push(
      this.deps.state.onChange((changes) => {
        if (changes.some((c) => c.object.kind === 'Pod' || c.object.kind === 'ConfigMap' || c.object.kind === 'Secret')) this.kick()
      }),
      this.deps.state.onRestore(() => this.kick()),
      this.deps.runtime.onChange(() => this.flushSoon()),
    )
    // Level-triggered backstop: converge and report even if an event was missed.
    this.resync = setInterval(() => {
      this.kick()
      this.flushSoon()
    }, 2_000)
    this.kick()
  }

  async stop(): Promise<void> {
    this.closed = true
    for (const off of this.offs) off()
    clearTimeout(this.flushTimer)
    clearInterval(this.resync)
    await this.deps.runtime.close()
  }

  /** `agent leave`: stops following the store, stops and removes every pod the runtime runs, then closes it. */
  async removeAll(): Promise<void> {
    this.closed = true
    for (const off of this.offs) off()
    this.offs = []
    clearTimeout(this.flushTimer)
    clearInterval(this.resync)
    // Queued behind a reconcile in flight; close() waits for the removals it starts.
    await this.deps.runtime.reconcile([])
    await this.deps.runtime.close()
  }

  private boundHere(): StoredObject[] {
    return this.deps.state.store.list('Pod').filter((p) => podNodeName(p) === this.deps.nodeName)
  }

  /** Hands the runtime the pods bound here now; coalesces while a reconcile runs. */
  private kick(): void {
    if (this.closed) return
    if (this.reconciling) {
      this.again = true
      return
    }
    this.reconciling = true
    void (async () => {
      try {
        do {
          this.again = false
          const bound = this.boundHere()
          this.deps.serviceEnv?.retain(new Set(bound.map((p) => p.uid)))
          const desired = bound.map((p) => {
            const r = resolvePod(p, this.deps.state.store, this.deps.secrets, this.deps.serviceEnv?.forPod(p))
            if (r.missing.length) this.deps.log.warn({ pod: `${p.namespace}/${p.name}`, missing: r.missing }, 'pod refers to missing config')
            return r.pod
          })
          await this.deps.runtime.reconcile(desired)
        } while (this.again && !this.closed)
      } catch (err) {
        this.deps.log.warn({ err }, 'runtime reconcile failed; retrying on the next change or resync')
      } finally {
        this.reconciling = false
      }
    })()
  }

  private flushSoon(): void {
    if (this.flushTimer || this.closed) return
    const wait = Math.max(0, this.lastFlush + this.reportMs - Date.now())
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined
      void this.flush()
    }, wait)
  }

  private async flush(): Promise<void> {
    if (this.sending) return this.flushSoon()
    this.lastFlush = Date.now()
    const byUid = new Map(this.boundHere().map((p) => [p.uid, p]))
    const reports: PodReport[] = []
    const now = Date.now()
    for (const { uid, status } of this.deps.runtime.statuses()) {
      const pod = byUid.get(uid)
      if (!pod || isLost(pod) || !reportDiffers((pod.object.status ?? {}) as Record<string, unknown>, status)) continue
      const text = canonicalJson(status)
      const prev = this.sent.get(uid)
      if (prev && prev.text === text && now - prev.at < this.resendMs) continue
      reports.push({ namespace: pod.namespace, name: pod.name, uid, status })
    }
    for (const uid of this.sent.keys()) if (!byUid.has(uid)) this.sent.delete(uid)
    if (reports.length === 0) return
    this.sending = true
    try {
      if (await this.deps.report(reports)) for (const r of reports) this.sent.set(r.uid, { text: canonicalJson(r.status), at: now })
    } catch (err) {
      this.deps.log.debug({ err }, 'pod status report failed; sending again')
    } finally {
      this.sending = false
    }
  }
}
