// PodRuntime over a driver: reconcile the desired pods against the supervised ones, adopt what an
// earlier agent left (first reconcile only), route exits and lost sandboxes to the pods, and resync
// periodically in case an event was missed. Shared by the Docker and the process runtimes.
import { systemClock, type Clock, type TimerHandle } from './clock.js'
import { podConfigHash } from './config-hash.js'
import type { AdoptedPod, ContainerExit, PodDriver, RuntimeLogger } from './driver.js'
import { silentLogger } from './driver.js'
import { NoPreviousRunError, RuntimeClosedError, errorMessage } from './errors.js'
import { ChangeNotifier } from './notifier.js'
import { PodRunner } from './pod-runner.js'
import type { RestartBackoffOptions } from './restart-backoff.js'
import type { LogOptions, PodRuntime, PodStatusReport, RuntimePod } from './types.js'

export interface SupervisedRuntimeOptions {
  readonly clock?: Clock
  readonly log?: RuntimeLogger
  /** How long status changes gather before onChange listeners hear of them. Default 50 ms. */
  readonly changeWindowMs?: number
  /** How often running containers are checked against the engine (missed events). Default 10 s; 0 disables. */
  readonly resyncMs?: number
  readonly restartBackoff?: RestartBackoffOptions
  readonly pullBackoff?: RestartBackoffOptions
  /** The node's address, reported as every pod's status.hostIP. Default 127.0.0.1. */
  readonly hostIP?: string
}

export class SupervisedRuntime implements PodRuntime {
  private readonly pods = new Map<string, PodRunner>()
  private readonly removals = new Map<string, Promise<void>>()
  private readonly clock: Clock
  private readonly log: RuntimeLogger
  private readonly notifier: ChangeNotifier
  private adoptable: Map<string, AdoptedPod> | undefined
  private queue: Promise<void> = Promise.resolve()
  private resyncTimer: TimerHandle | undefined
  private closed = false

  constructor (private readonly driver: PodDriver, private readonly opts: SupervisedRuntimeOptions = {}) {
    this.clock = opts.clock ?? systemClock
    this.log = opts.log ?? silentLogger
    this.notifier = new ChangeNotifier(this.clock, opts.changeWindowMs ?? 50, err => this.log.warn({ err: errorMessage(err) }, 'an onChange listener threw'))
  }

  get name (): string { return this.driver.name }

  reconcile (desired: readonly RuntimePod[]): Promise<void> {
    if (this.closed) return Promise.reject(new RuntimeClosedError('the runtime is closed'))
    const run = this.queue.then(() => this.reconcileNow(desired))
    this.queue = run.catch(() => {})
    return run
  }

  statuses (): readonly PodStatusReport[] {
    return [...this.pods.values()].map(p => ({ uid: p.uid, status: p.status() }))
  }

  onChange (listener: () => void): () => void {
    return this.notifier.subscribe(listener)
  }

  async * logs (uid: string, opts: LogOptions): AsyncIterable<Uint8Array> {
    const pod = this.pods.get(uid)
    const name = opts.container ?? pod?.pod.spec.containers[0]?.name
    const id = name === undefined ? undefined : pod?.supervisor(name)?.logId(opts.previous === true)
    if (id === undefined) {
      if (opts.previous === true && pod !== undefined) throw new NoPreviousRunError(`container "${name}" of pod "${pod.pod.name}" has no previous run: it has not exited since it was created; leave out -p/--previous`)
      return
    }
    yield * this.driver.logs(id, opts)
  }

  async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.queue
    if (this.resyncTimer !== undefined) this.clock.clearTimeout(this.resyncTimer)
    for (const p of this.pods.values()) p.detach()
    await Promise.allSettled([...this.removals.values()])
    this.notifier.close()
    await this.driver.close()
  }

  /** Removals still running (tests wait for them). */
  async settled (): Promise<void> {
    await this.queue
    await Promise.allSettled([...this.removals.values()])
  }

  private async init (): Promise<Map<string, AdoptedPod>> {
    if (this.adoptable !== undefined) return this.adoptable
    await this.driver.watch({
      exit: (uid, name, id, exit) => this.routeExit(uid, name, id, exit),
      sandboxLost: (uid, id) => this.pods.get(uid)?.sandboxLost(id),
    })
    const found = await this.driver.adopt()
    this.adoptable = new Map(found.map(p => [p.uid, p]))
    this.scheduleResync()
    return this.adoptable
  }

  private async reconcileNow (desired: readonly RuntimePod[]): Promise<void> {
    if (this.closed) return
    const adoptable = await this.init()
    const want = new Map(desired.map(p => [p.uid, p]))
    for (const [uid, runner] of this.pods) {
      const next = want.get(uid)
      if (next === undefined || podConfigHash(next) !== runner.configHash) this.remove(runner)
    }
    // Adopted pods no longer bound here go; the rest are adopted below or replaced if their spec changed.
    for (const [uid, found] of adoptable) {
      const next = want.get(uid)
      if (next === undefined || podConfigHash(next) !== found.configHash) {
        adoptable.delete(uid)
        this.track(uid, this.driver.removePod(uid))
      }
    }
    for (const pod of desired) {
      if (this.pods.has(pod.uid)) continue
      const runner = new PodRunner(pod, podConfigHash(pod), this.supervisorDeps())
      this.pods.set(pod.uid, runner)
      const found = adoptable.get(pod.uid)
      adoptable.delete(pod.uid)
      if (found !== undefined) this.log.info({ pod: pod.name, uid: pod.uid }, 'adopting the containers of a pod')
      // A removal of the same uid (changed spec) must finish before the new pod is made.
      const prior = this.removals.get(pod.uid)
      if (prior === undefined) runner.start(found)
      else void prior.then(() => { if (this.pods.get(pod.uid) === runner && !this.closed) runner.start(found) })
    }
    this.notifier.changed()
  }

  private remove (runner: PodRunner): void {
    this.pods.delete(runner.uid)
    this.log.info({ pod: runner.pod.name, uid: runner.uid }, 'removing a pod')
    this.track(runner.uid, runner.stop())
  }

  private track (uid: string, p: Promise<void>): void {
    const before = this.removals.get(uid)
    const tracked: Promise<void> = Promise.allSettled([before, p]).then(([, r]) => {
      if (r.status === 'rejected') this.log.warn({ uid, err: errorMessage(r.reason) }, 'removing a pod failed')
      if (this.removals.get(uid) === tracked) this.removals.delete(uid)
    })
    this.removals.set(uid, tracked)
  }

  private supervisorDeps () {
    return {
      driver: this.driver,
      clock: this.clock,
      log: this.log,
      hostIP: this.opts.hostIP ?? '127.0.0.1',
      changed: () => this.notifier.changed(),
      ...(this.opts.restartBackoff !== undefined ? { restartBackoff: this.opts.restartBackoff } : {}),
      ...(this.opts.pullBackoff !== undefined ? { pullBackoff: this.opts.pullBackoff } : {}),
    }
  }

  private routeExit (uid: string, name: string, id: string, exit: ContainerExit): void {
    this.pods.get(uid)?.supervisor(name)?.handleExit(id, exit)
  }

  private scheduleResync (): void {
    const every = this.opts.resyncMs ?? 10_000
    if (every <= 0 || this.closed) return
    this.resyncTimer = this.clock.setTimeout(() => { void this.resync().finally(() => this.scheduleResync()) }, every)
  }

  private async resync (): Promise<void> {
    const owner = new Map<string, PodRunner>()
    const sandboxes = new Map<string, string>()
    for (const p of this.pods.values()) {
      for (const id of p.runningIds()) owner.set(id, p)
      if (p.sandboxId !== undefined) sandboxes.set(p.uid, p.sandboxId)
    }
    try {
      if (sandboxes.size > 0) {
        for (const uid of await this.driver.lostSandboxes(sandboxes)) this.pods.get(uid)?.sandboxLost(sandboxes.get(uid)!)
      }
      if (owner.size === 0) return
      const exited = await this.driver.checkExited([...owner.keys()])
      for (const [id, exit] of exited) {
        owner.get(id)?.supervisorById(id)?.handleExit(id, exit)
      }
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'resync with the engine failed')
    }
  }
}
