// One pod on this node: its sandbox (what the containers share), one supervisor per container, and
// its status. The sandbox is retried with backoff until it exists; the containers start after it.
import type { Clock, TimerHandle } from './clock.js'
import { ContainerSupervisor, type SupervisorDeps } from './container-supervisor.js'
import type { AdoptedPod, SandboxInfo } from './driver.js'
import { errorMessage } from './errors.js'
import { RestartBackoff } from './restart-backoff.js'
import { buildPodStatus } from './status-build.js'
import type { PodStatus, RuntimePod } from './types.js'

export class PodRunner {
  private sandboxInfo: SandboxInfo | undefined
  private problem: { reason: string, message: string } | undefined
  private readonly supervisors: ContainerSupervisor[]
  private readonly startTime: number
  private readonly sandboxBackoff = new RestartBackoff({ immediateFirst: false })
  private timer: TimerHandle | undefined
  private active = true
  private making: Promise<void> | undefined
  private last: PodStatus | undefined

  constructor (readonly pod: RuntimePod, readonly configHash: string, private readonly deps: SupervisorDeps & { readonly clock: Clock }) {
    const handle = { pod, configHash, sandbox: () => this.sandboxInfo }
    this.supervisors = pod.spec.containers.map(c => new ContainerSupervisor(handle, c, deps))
    this.startTime = deps.clock.now()
  }

  get uid (): string { return this.pod.uid }

  supervisor (name: string): ContainerSupervisor | undefined {
    return this.supervisors.find(s => s.name === name)
  }

  supervisorById (id: string): ContainerSupervisor | undefined {
    return this.supervisors.find(s => s.currentId === id)
  }

  /** The current run of every container believed running. */
  runningIds (): string[] {
    return this.supervisors.filter(s => s.isRunning && s.currentId !== undefined).map(s => s.currentId!)
  }

  start (adopted?: AdoptedPod): void {
    if (adopted === undefined) { this.makeSandbox(); return }
    this.sandboxInfo = adopted.sandbox
    for (const s of this.supervisors) s.start(adopted.containers.find(c => c.name === s.name))
  }

  status (): PodStatus {
    const now = this.deps.clock.now()
    const sb = this.sandboxInfo
    const status = buildPodStatus({
      restartPolicy: this.pod.spec.restartPolicy,
      containers: this.supervisors.map(s => s.status()),
      ...(sb?.podIP !== undefined ? { podIP: sb.podIP } : {}),
      ...(sb?.hostIP !== undefined ? { hostIP: sb.hostIP } : {}),
      startTime: sb?.createdAt ?? this.startTime,
      ...(this.problem ?? {}),
    }, this.last, now)
    this.last = status
    return status
  }

  /** Stops every container and removes the pod from the engine. */
  async stop (): Promise<void> {
    this.active = false
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer)
    await this.making
    await Promise.all(this.supervisors.map(s => s.stop()))
    await this.deps.driver.removePod(this.uid)
  }

  /** Leaves everything running (the agent is closing; the next one adopts it). */
  detach (): void {
    this.active = false
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer)
    for (const s of this.supervisors) s.detach()
  }

  private makeSandbox (): void {
    this.timer = undefined
    if (!this.active) return
    this.making = this.deps.driver.ensureSandbox(this.pod, this.configHash).then(info => {
      if (!this.active) return
      this.sandboxInfo = info
      this.problem = undefined
      this.sandboxBackoff.reset()
      this.deps.changed()
      for (const s of this.supervisors) s.start()
    }, err => {
      if (!this.active) return
      const delay = this.sandboxBackoff.next()
      this.problem = { reason: 'SandboxError', message: errorMessage(err) }
      this.deps.log.warn({ pod: this.pod.name, uid: this.uid, err: errorMessage(err), retryMs: delay }, 'making the pod sandbox failed')
      this.deps.changed()
      this.timer = this.deps.clock.setTimeout(() => this.makeSandbox(), delay)
    })
  }
}
