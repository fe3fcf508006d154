// A runtime that runs nothing: each pod turns Running and Ready after a configurable delay, and can be
// told to fail. For tests and benchmarks of everything above the runtime (scheduling, controllers,
// failover), selected with `agent start --runtime fake`.
import type { ContainerStatus, LogOptions, PodRuntime, PodStatus, PodStatusReport, RuntimePod } from './types.js'

export interface FakeRuntimeOptions {
  /** From a pod's arrival to Running and Ready. Default 200 ms. */
  readonly startDelayMs?: number
  readonly now?: () => Date
  /** status.hostIP (and podIP: nothing runs). Default 127.0.0.1. */
  readonly hostIP?: string
}

interface FakePod {
  readonly pod: RuntimePod
  status: PodStatus
  timer: NodeJS.Timeout | undefined
}

export class FakeRuntime implements PodRuntime {
  readonly name = 'fake'
  private readonly pods = new Map<string, FakePod>()
  private readonly listeners = new Set<() => void>()
  private readonly delayMs: number
  private readonly now: () => Date
  private readonly hostIP: string
  private notifyQueued = false

  constructor(opts: FakeRuntimeOptions = {}) {
    this.delayMs = opts.startDelayMs ?? 200
    this.now = opts.now ?? (() => new Date())
    this.hostIP = opts.hostIP ?? '127.0.0.1'
  }

  async reconcile(desired: readonly RuntimePod[]): Promise<void> {
    const wanted = new Set(desired.map((p) => p.uid))
    for (const [uid, p] of this.pods) {
      if (wanted.has(uid)) continue
      clearTimeout(p.timer)
      this.pods.delete(uid)
      this.changed()
    }
    for (const pod of desired) {
      if (this.pods.has(pod.uid)) continue
      const entry: FakePod = { pod, status: this.pending(pod), timer: undefined }
      entry.timer = setTimeout(() => {
        entry.timer = undefined
        entry.status = this.running(pod)
        this.changed()
      }, this.delayMs)
      this.pods.set(pod.uid, entry)
      this.changed()
    }
  }

  statuses(): readonly PodStatusReport[] {
    return [...this.pods.entries()].map(([uid, p]) => ({ uid, status: p.status }))
  }

  /** The pods this runtime runs now (tests). */
  runningPods(): readonly RuntimePod[] {
    return [...this.pods.values()].map((p) => p.pod)
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Every container exits with `exitCode`: the pod is Failed (tests of replacement). */
  fail(uid: string, exitCode = 1): boolean {
    const p = this.pods.get(uid)
    if (!p) return false
    clearTimeout(p.timer)
    const at = this.now().toISOString()
    const containers: ContainerStatus[] = p.pod.spec.containers.map((c) => ({
      name: c.name,
      image: c.image,
      ready: false,
      started: false,
      restartCount: 0,
      state: { terminated: { exitCode, reason: 'Error', finishedAt: at } },
    }))
    p.status = { ...p.status, phase: 'Failed', conditions: conditions(false, at), containerStatuses: containers }
    this.changed()
    return true
  }

  async *logs(uid: string, _opts: LogOptions): AsyncIterable<Uint8Array> {
    if (this.pods.has(uid)) yield new TextEncoder().encode('fake runtime: pods print nothing\n')
  }

  async close(): Promise<void> {
    for (const p of this.pods.values()) clearTimeout(p.timer)
    this.listeners.clear()
  }

  private pending(pod: RuntimePod): PodStatus {
    const at = this.now().toISOString()
    const containers: ContainerStatus[] = pod.spec.containers.map((c) => ({ name: c.name, image: c.image, ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }))
    return { phase: 'Pending', conditions: conditions(false, at), containerStatuses: containers, hostIP: this.hostIP }
  }

  private running(pod: RuntimePod): PodStatus {
    const at = this.now().toISOString()
    const containers: ContainerStatus[] = pod.spec.containers.map((c) => ({
      name: c.name,
      image: c.image,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: at } },
      containerID: `fake://${pod.uid}/${c.name}`,
    }))
    return { phase: 'Running', conditions: conditions(true, at), containerStatuses: containers, hostIP: this.hostIP, podIP: this.hostIP, startTime: at }
  }

  /** Listeners hear once per turn of the event loop, however many pods changed. */
  private changed(): void {
    if (this.notifyQueued) return
    this.notifyQueued = true
    queueMicrotask(() => {
      this.notifyQueued = false
      for (const l of this.listeners) l()
    })
  }
}

function conditions(ready: boolean, at: string): PodStatus['conditions'] {
  const s = ready ? 'True' : 'False'
  return [
    { type: 'ContainersReady', status: s, lastTransitionTime: at },
    { type: 'Initialized', status: 'True', lastTransitionTime: at },
    { type: 'Ready', status: s, lastTransitionTime: at },
  ]
}
