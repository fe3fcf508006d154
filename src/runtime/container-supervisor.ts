// One container of one pod, through its runs: pull, start, probe, restart with backoff, stop.
// Runtime-independent: the driver does the work, the clock gives the time, so tests drive it with
// fakes. Every async step checks `generation` afterwards: a stop or a newer run makes it stale.
//
// As the kubelet's garbage collection keeps one dead container per container, a run that exits is kept
// until the run after it exits too: so `logs` of a container waiting in back-off shows its last run,
// `logs --previous` of a restarted one the run before, and a restarted agent finds the last run's labels
// (restart count, backoff) even while no run is alive.
import type { Container } from '../resources/index.js'
import { iso, type Clock, type TimerHandle } from './clock.js'
import type { AdoptedContainer, ContainerExit, PodDriver, RuntimeLogger, SandboxInfo, StartedContainer } from './driver.js'
import { ContainerConfigError, ImageNeverPullError, errorMessage } from './errors.js'
import { runProbe } from './probe-action.js'
import { ProbeTracker, type ProbeKind, type ProbeResult } from './probe-tracker.js'
import { RestartBackoff, shouldRestart, type RestartBackoffOptions } from './restart-backoff.js'
import type { ContainerState, ContainerStatus, RuntimePod } from './types.js'

export interface SupervisorDeps {
  readonly driver: PodDriver
  readonly clock: Clock
  readonly log: RuntimeLogger
  /** Called on every status change (the runtime coalesces). */
  readonly changed: () => void
  readonly restartBackoff?: RestartBackoffOptions
  readonly pullBackoff?: RestartBackoffOptions
}

export interface PodHandle {
  readonly pod: RuntimePod
  readonly configHash: string
  sandbox(): SandboxInfo | undefined
}

export class ContainerSupervisor {
  private state: ContainerState = { waiting: { reason: 'ContainerCreating' } }
  private lastState: ContainerState | undefined
  private restartCount = 0
  private hasRun = false
  private id: string | undefined
  /** The run before `id`, exited, kept while `id` runs. */
  private previousId: string | undefined
  private startedAt = 0
  private started = false
  private ready = false
  private launching = false
  private earlyExit: { id: string, exit: ContainerExit } | undefined
  private killMessage: string | undefined
  private generation = 0
  /**
   * Set by stop() (the pod is removed: stop what starts late), detach() (leave it for adoption) or
   * suspend() (the sandbox is being remade: stop what starts late, start again on resume()).
   */
  private mode: 'active' | 'stopping' | 'detached' | 'suspended' = 'active'
  private inflight: Promise<void> | undefined
  private probes = new Map<ProbeKind, ProbeTracker>()
  private readonly timers = new Set<TimerHandle>()
  private readonly crash: RestartBackoff
  private readonly pull: RestartBackoff

  constructor (private readonly handle: PodHandle, readonly container: Container, private readonly deps: SupervisorDeps) {
    this.crash = new RestartBackoff(deps.restartBackoff)
    this.pull = new RestartBackoff({ ...deps.pullBackoff, immediateFirst: false })
  }

  get name (): string { return this.container.name }
  /** The engine id of the current (or last) run. */
  get currentId (): string | undefined { return this.id }
  get isRunning (): boolean { return 'running' in this.state }

  /**
   * The run whose output `logs` shows: the current one (running, or the last that exited); with
   * `previous`, the last one that exited (the current one while it waits to restart).
   */
  logId (previous: boolean): string | undefined {
    if (!previous) return this.id
    return 'running' in this.state ? this.previousId : this.id
  }

  /** Starts a first run, or takes over one an earlier agent left (running or exited). */
  start (adopted?: AdoptedContainer): void {
    if (adopted === undefined) { this.launchNow(); return }
    this.restartCount = adopted.restartCount
    this.crash.restore(adopted.backoffFailures)
    this.hasRun = true
    this.id = adopted.id
    this.previousId = adopted.previousId
    if (adopted.exit !== undefined) {
      this.startedAt = adopted.startedAt
      this.state = { running: { startedAt: iso(adopted.startedAt) } }
      // It exited while no agent watched: the backoff counts from its exit, not from now.
      this.recordExit(adopted.id, adopted.exit, Math.max(0, this.deps.clock.now() - adopted.exit.finishedAt))
      return
    }
    this.onRunning({ id: adopted.id, startedAt: adopted.startedAt })
  }

  status (): ContainerStatus {
    return {
      name: this.container.name,
      image: this.container.image,
      ready: this.ready,
      started: this.started,
      restartCount: this.restartCount,
      state: this.state,
      ...(this.lastState !== undefined ? { lastState: this.lastState } : {}),
      ...(this.id !== undefined ? { containerID: `${this.deps.driver.name}://${this.id}` } : {}),
    }
  }

  /** A run exited. Exits of other runs are ignored; one racing its own start is kept for later. */
  handleExit (id: string, exit: ContainerExit): void {
    this.recordExit(id, exit, 0)
  }

  private recordExit (id: string, exit: ContainerExit, sinceExitMs: number): void {
    if (id !== this.id || !('running' in this.state)) {
      if (this.launching) this.earlyExit = { id, exit }
      return
    }
    this.generation++
    this.clearTimers()
    this.ready = false
    this.started = false
    const terminated: ContainerState = {
      terminated: {
        exitCode: exit.exitCode,
        reason: exit.reason,
        ...(this.killMessage ?? exit.message) !== undefined ? { message: this.killMessage ?? exit.message } : {},
        startedAt: iso(exit.startedAt ?? this.startedAt),
        finishedAt: iso(exit.finishedAt),
      },
    }
    this.killMessage = undefined
    this.lastState = terminated
    this.state = terminated
    // The run before is now two runs back: neither `logs` nor `logs --previous` shows it any more.
    this.discard(this.previousId)
    this.previousId = undefined
    if (this.mode === 'active' && shouldRestart(this.handle.pod.spec.restartPolicy, exit.exitCode)) this.scheduleRestart(exit, sinceExitMs)
    this.deps.changed()
  }

  /** Stops for good (the pod is going away): no restarts, no probes; waits for the engine. */
  async stop (): Promise<void> {
    this.mode = 'stopping'
    this.generation++
    this.clearTimers()
    await this.inflight
    const id = this.id
    if (id === undefined || !('running' in this.state)) return
    try {
      await this.deps.driver.stopContainer(id, this.handle.pod.spec.terminationGracePeriodSeconds)
    } catch (err) {
      this.deps.log.warn({ err: errorMessage(err), container: this.name }, 'stopping a container failed')
    }
  }

  /**
   * The pod's sandbox is gone, so this container has lost its network: stop it and wait. Resolves
   * true when it should run again in the new sandbox (it was running or waiting to, or its restart
   * policy restarts the exit), false when it is done for good (Never, or OnFailure after exit 0).
   */
  async suspend (message: string): Promise<boolean> {
    if (this.mode !== 'active') return false
    this.mode = 'suspended'
    this.generation++
    this.clearTimers()
    await this.inflight
    const id = this.id
    if (id !== undefined && 'running' in this.state) {
      this.killMessage = message
      try {
        await this.deps.driver.stopContainer(id, this.handle.pod.spec.terminationGracePeriodSeconds)
        // The exit event may trail the stop: take the exit from the engine so the status shows it now.
        const exit = this.id === id && 'running' in this.state ? (await this.deps.driver.checkExited([id])).get(id) : undefined
        if (exit !== undefined) this.handleExit(id, exit)
      } catch (err) {
        this.deps.log.warn({ err: errorMessage(err), container: this.name }, 'stopping a container of a lost sandbox failed')
      }
    }
    const s = this.state
    return !('terminated' in s) || shouldRestart(this.handle.pod.spec.restartPolicy, s.terminated.exitCode)
  }

  /** After suspend(): runs again (a restart, counted) in the new sandbox, or stays as it is. */
  resume (run: boolean): void {
    if (this.mode !== 'suspended') return
    this.mode = 'active'
    if (!run) return
    this.launchNow()
  }

  /** Forgets timers and probes; the container keeps running for the next agent to adopt. */
  detach (): void {
    this.mode = 'detached'
    this.generation++
    this.clearTimers()
  }

  private scheduleRestart (exit: ContainerExit, sinceExitMs: number): void {
    const delay = this.crash.next(exit.finishedAt - (exit.startedAt ?? this.startedAt))
    const wait = Math.max(0, delay - sinceExitMs)
    if (wait === 0) { this.launchNow(); return }
    const message = `back-off ${formatDelay(delay)} restarting failed container=${this.name} pod=${this.handle.pod.name}_${this.handle.pod.namespace}(${this.handle.pod.uid})`
    this.state = { waiting: { reason: 'CrashLoopBackOff', message } }
    this.after(wait, () => this.launchNow())
  }

  private discard (id: string | undefined): void {
    if (id === undefined) return
    this.deps.driver.discardContainer(id).catch(err => this.deps.log.debug({ err: errorMessage(err), container: this.name }, 'discarding an exited container failed'))
  }

  private launchNow (): void {
    if (this.mode !== 'active') return
    const p = this.launch().finally(() => { if (this.inflight === p) this.inflight = undefined })
    this.inflight = p
  }

  private async launch (): Promise<void> {
    const gen = ++this.generation
    this.launching = true
    try {
      await this.deps.driver.ensureImage(this.container)
    } catch (err) {
      this.launching = false
      if (gen === this.generation && this.mode === 'active') this.pullFailed(err)
      return
    }
    this.pull.reset()
    const sandbox = this.handle.sandbox() ?? {}
    const restartCount = this.restartCount + (this.hasRun ? 1 : 0)
    let run: StartedContainer
    try {
      run = await this.deps.driver.startContainer(this.handle.pod, this.container, { configHash: this.handle.configHash, restartCount, backoffFailures: this.crash.failures, sandbox })
    } catch (err) {
      this.launching = false
      if (gen === this.generation && this.mode === 'active') this.startFailed(err)
      return
    }
    this.launching = false
    if (gen !== this.generation || this.mode !== 'active') {
      // Stopped while starting: a removal or a lost sandbox stops what it started; a detach leaves it for adoption.
      if (this.mode !== 'detached') {
        await this.deps.driver.stopContainer(run.id, 0).catch(() => {})
        await this.deps.driver.discardContainer(run.id).catch(() => {})
      }
      return
    }
    this.restartCount = restartCount
    if (this.hasRun && this.id !== undefined) {
      // The exited run becomes the previous one; an older one kept (there should be none) goes.
      if (this.previousId !== this.id) this.discard(this.previousId)
      this.previousId = this.id
    }
    this.hasRun = true
    this.onRunning(run)
  }

  private onRunning (run: StartedContainer): void {
    this.id = run.id
    this.startedAt = run.startedAt
    this.state = { running: { startedAt: iso(run.startedAt) } }
    const c = this.container
    this.probes = new Map()
    if (c.startupProbe !== undefined) this.addProbe('startup')
    else this.markStarted()
    this.deps.changed()
    const early = this.earlyExit
    this.earlyExit = undefined
    if (early !== undefined && early.id === run.id) this.handleExit(early.id, early.exit)
  }

  private markStarted (): void {
    this.started = true
    if (this.container.livenessProbe !== undefined) this.addProbe('liveness')
    if (this.container.readinessProbe !== undefined) this.addProbe('readiness')
    else this.ready = true
  }

  private addProbe (kind: ProbeKind): void {
    const probe = kind === 'startup' ? this.container.startupProbe : kind === 'liveness' ? this.container.livenessProbe : this.container.readinessProbe
    if (probe === undefined) return
    const tracker = new ProbeTracker(kind, probe, this.startedAt)
    this.probes.set(kind, tracker)
    this.scheduleProbe(tracker, this.generation)
  }

  private scheduleProbe (tracker: ProbeTracker, gen: number): void {
    const delay = Math.max(0, tracker.dueAt() - this.deps.clock.now())
    this.after(delay, () => { void this.probeOnce(tracker, gen) })
  }

  private async probeOnce (tracker: ProbeTracker, gen: number): Promise<void> {
    const id = this.id
    if (gen !== this.generation || id === undefined) return
    const at = this.deps.clock.now()
    const target = {
      host: this.deps.driver.probeHost(this.handle.sandbox()),
      container: this.container,
      exec: (cmd: readonly string[], timeoutMs: number) => this.deps.driver.exec(id, this.handle.pod, this.container, cmd, timeoutMs),
    }
    const ok = await runProbe(tracker.probe, target)
    if (gen !== this.generation) return
    const result = tracker.record(ok, at)
    if (result !== undefined) this.probeChanged(tracker.kind, result)
    if (!tracker.done && gen === this.generation) this.scheduleProbe(tracker, gen)
  }

  private probeChanged (kind: ProbeKind, result: ProbeResult): void {
    this.deps.log.debug({ container: this.name, pod: this.handle.pod.name, probe: kind, result }, 'probe result changed')
    if (kind === 'readiness') {
      this.ready = result === 'success'
    } else if (kind === 'startup' && result === 'success') {
      this.markStarted()
    } else if (result === 'failure') {
      this.killForProbe(kind)
      return
    }
    this.deps.changed()
  }

  private killForProbe (kind: ProbeKind): void {
    const id = this.id
    if (id === undefined) return
    this.killMessage = `Container ${this.name} failed ${kind} probe, will be restarted`
    this.deps.log.info({ container: this.name, pod: this.handle.pod.name, probe: kind }, 'probe failed: restarting the container')
    this.deps.driver.stopContainer(id, this.handle.pod.spec.terminationGracePeriodSeconds)
      .catch(err => this.deps.log.warn({ err: errorMessage(err), container: this.name }, 'killing a container after a failed probe failed'))
  }

  private pullFailed (err: unknown): void {
    const delay = this.pull.next()
    const message = errorMessage(err)
    const reason = err instanceof ImageNeverPullError ? 'ErrImageNeverPull' : 'ErrImagePull'
    this.deps.log.warn({ image: this.container.image, err: message, retryMs: delay }, 'image not available')
    this.state = { waiting: { reason, message } }
    this.deps.changed()
    if (reason === 'ErrImagePull') {
      // As in Kubernetes: ErrImagePull right after a failed pull, ImagePullBackOff while waiting to retry.
      const gen = this.generation
      this.after(delay / 2, () => {
        if (gen !== this.generation) return
        this.state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${this.container.image}": ${message}` } }
        this.deps.changed()
      })
    }
    this.after(delay, () => this.launchNow())
  }

  private startFailed (err: unknown): void {
    const delay = this.crash.next(0)
    const reason = err instanceof ContainerConfigError ? 'CreateContainerConfigError' : 'CreateContainerError'
    this.deps.log.warn({ container: this.name, pod: this.handle.pod.name, err: errorMessage(err), retryMs: delay }, 'starting a container failed')
    this.state = { waiting: { reason, message: errorMessage(err) } }
    this.deps.changed()
    this.after(Math.max(delay, 100), () => this.launchNow())
  }

  private after (ms: number, fn: () => void): void {
    const h = this.deps.clock.setTimeout(() => { this.timers.delete(h); fn() }, ms)
    this.timers.add(h)
  }

  private clearTimers (): void {
    for (const h of this.timers) this.deps.clock.clearTimeout(h)
    this.timers.clear()
  }
}

function formatDelay (ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}
