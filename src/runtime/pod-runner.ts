// One pod on this node: its sandbox (what the containers share), one supervisor per container, and
// its status. The sandbox is retried with backoff until it exists; the containers start after it.
// A sandbox that dies under running containers is remade and the containers restarted in it.
import type { Clock, TimerHandle } from './clock.js'
import { ContainerSupervisor, type SupervisorDeps } from './container-supervisor.js'
import type { AdoptedPod, SandboxInfo } from './driver.js'
import { errorMessage } from './errors.js'
import { RestartBackoff } from './restart-backoff.js'
import { buildPodStatus } from './status-build.js'
import type { PodStatus, RuntimePod } from './types.js'

export interface PodRunnerDeps extends SupervisorDeps {
  readonly clock: Clock
  /** The node's address, for status.hostIP. */
  readonly hostIP: string
}

const SANDBOX_CHANGED = 'Pod sandbox changed, it will be killed and re-created.'

export class PodRunner {
  private sandboxInfo: SandboxInfo | undefined
  private problem: { reason: string, message: string } | undefined
  private readonly supervisors: ContainerSupervisor[]
  /** status.startTime: when the first sandbox was made (or this runner, until then); a remade sandbox keeps it. */
  private startTime: number
  private startTimeFixed = false
  private readonly sandboxBackoff = new RestartBackoff({ immediateFirst: false })
  private timer: TimerHandle | undefined
  private active = true
  private making: Promise<void> | undefined
  private last: PodStatus | undefined

  constructor (readonly pod: RuntimePod, readonly configHash: string, private readonly deps: PodRunnerDeps) {
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

  /** The id of the live sandbox; undefined while there is none (being made, or remade). */
  get sandboxId (): string | undefined { return this.sandboxInfo?.id }

  start (adopted?: AdoptedPod): void {
    if (adopted === undefined) { this.makeSandbox(() => { for (const s of this.supervisors) s.start() }); return }
    this.setSandbox(adopted.sandbox)
    for (const s of this.supervisors) s.start(adopted.containers.find(c => c.name === s.name))
  }

  status (): PodStatus {
    const now = this.deps.clock.now()
    const sb = this.sandboxInfo
    const status = buildPodStatus({
      restartPolicy: this.pod.spec.restartPolicy,
      containers: this.supervisors.map(s => s.status()),
      ...(sb?.podIP !== undefined ? { podIP: sb.podIP } : {}),
      hostIP: this.deps.hostIP,
      startTime: this.startTime,
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

  /**
   * The sandbox `id` died or was removed. As the kubelet does when a pod's sandbox changes: stop the
   * containers, make a new sandbox, and start again in it those the restart policy would run (each a
   * restart, counted). A death of an older sandbox, or one while remaking, is ignored.
   */
  sandboxLost (id: string): void {
    if (!this.active || this.sandboxInfo?.id !== id) return
    this.deps.log.warn({ pod: this.pod.name, uid: this.uid, sandbox: id }, 'the pod sandbox died: stopping its containers, making a new sandbox and starting them in it')
    this.sandboxInfo = undefined
    this.problem = { reason: 'SandboxChanged', message: SANDBOX_CHANGED }
    this.deps.changed()
    this.making = Promise.all(this.supervisors.map(s => s.suspend(SANDBOX_CHANGED))).then(runAgain => {
      if (!this.active) return
      if (!runAgain.includes(true)) {
        // Nothing will run again (restartPolicy Never, or all done): no sandbox is made, as in Kubernetes.
        this.supervisors.forEach(s => s.resume(false))
        this.deps.changed()
        return
      }
      this.makeSandbox(() => this.supervisors.forEach((s, i) => s.resume(runAgain[i]!)))
    }).catch(err => this.deps.log.error({ pod: this.pod.name, uid: this.uid, err: errorMessage(err) }, 'remaking the pod sandbox failed'))
  }

  private setSandbox (info: SandboxInfo): void {
    this.sandboxInfo = info
    if (!this.startTimeFixed && info.createdAt !== undefined) this.startTime = info.createdAt
    this.startTimeFixed = true
  }

  private makeSandbox (then: () => void): void {
    this.timer = undefined
    if (!this.active) return
    this.making = this.deps.driver.ensureSandbox(this.pod, this.configHash).then(info => {
      if (!this.active) return
      this.setSandbox(info)
      this.problem = undefined
      this.sandboxBackoff.reset()
      this.deps.changed()
      then()
    }, err => {
      if (!this.active) return
      const delay = this.sandboxBackoff.next()
      this.problem = { reason: 'SandboxError', message: errorMessage(err) }
      this.deps.log.warn({ pod: this.pod.name, uid: this.uid, err: errorMessage(err), retryMs: delay }, 'making the pod sandbox failed')
      this.deps.changed()
      this.timer = this.deps.clock.setTimeout(() => this.makeSandbox(then), delay)
    })
  }
}
