// The controllers of the leader, on one work queue: node lifecycle (node/NAME), deployments
// (deploy/NS/NAME), the scheduler (schedule) and pod status reports (status). They run only while this
// node leads; they keep no state that matters between syncs, so a new leader resumes from the log.
import { randomBytes, randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { PutOp, DeleteOp } from '../state/commands.js'
import type { ClusterState } from '../state/cluster-state.js'
import type { Change } from '../state/store.js'
import type { ControllerContext } from './context.js'
import { NotLeaderError, WriteConflictError } from './errors.js'
import { LivenessTable } from './liveness.js'
import { planNodeTransitions } from './node-plan.js'
import { annotationsOf, controllerOf, DRAIN_ANNOTATION, nodeReadyStatus, podNodeName } from './objects.js'
import { StatusIntake, type PodReport } from './status-intake.js'
import { DEFAULT_DRAIN_MS, syncDeployment } from './sync-deployment.js'
import { syncNode } from './sync-node.js'
import { syncSchedule } from './sync-schedule.js'
import { WorkQueue } from './work-queue.js'

/** The parts of the Raft driver the manager uses. */
export interface LeadershipSource {
  status(): { readonly role: string; readonly leader: string }
  on(listener: (e: { readonly type: string; readonly leader?: string }) => void): () => void
  /** Resolves once this node has applied everything committed before the call (a ReadIndex round). */
  readIndex(opts: { readonly signal?: AbortSignal }): Promise<number>
}

export interface ControllerManagerDeps {
  readonly id: string
  readonly leadership: LeadershipSource
  readonly state: ClusterState
  /** Commits the ops as one entry from this node as leader; resolves false when a precondition failed. */
  readonly write: (ops: readonly (PutOp | DeleteOp)[]) => Promise<boolean>
  readonly log: Logger
}

export interface ControllerManagerOptions {
  /** Silence after which a node turns NotReady. Default 2 s. */
  readonly graceMs?: number
  /** How often the leader looks at the liveness table. Default 200 ms. */
  readonly livenessCheckMs?: number
  /** Every key is synced at least this often, whatever the events. Default 2 s. */
  readonly resyncMs?: number
  /** How long a removed pod stays terminating (out of Service endpoints, still running) before it is deleted. Default 2 s. */
  readonly podDrainMs?: number
}

export class ControllerManager {
  readonly liveness = new LivenessTable()
  private readonly intake = new StatusIntake()
  private readonly queue: WorkQueue
  private readonly ctx: ControllerContext
  private active = false
  private epoch = 0
  private timers: NodeJS.Timeout[] = []
  /** Keys to sync again at a known time (a pod turning available, a termination or rollout deadline). */
  private readonly later = new Map<string, { at: number; timer: NodeJS.Timeout }>()
  private offs: (() => void)[] = []

  constructor(
    private readonly deps: ControllerManagerDeps,
    private readonly opts: ControllerManagerOptions = {},
  ) {
    this.queue = new WorkQueue(
      (key) => this.sync(key),
      (key, err, ms) => deps.log[(err as Error).name === 'WriteConflictError' ? 'debug' : 'warn']({ key, err, retryInMs: ms }, `sync ${key} failed; retrying`),
    )
    this.ctx = {
      store: deps.state.store,
      write: async (ops, why) => {
        if (!this.active) throw new NotLeaderError(`not the leader: ${why} not written`)
        if (!(await deps.write(ops))) throw new WriteConflictError(`${why}: an object changed since it was read`)
      },
      now: () => new Date(),
      newUid: randomUUID,
      randomBytes: (n) => randomBytes(n),
      appliedIndex: () => deps.state.applied,
      liveness: this.liveness,
      graceMs: opts.graceMs ?? 2_000,
      log: deps.log,
    }
  }

  get leading(): boolean {
    return this.active
  }

  start(): void {
    this.offs.push(
      this.deps.leadership.on((e) => {
        if (e.type !== 'leaderChanged') return
        if (e.leader === this.deps.id) void this.becomeLeader()
        else this.stepDown()
      }),
      this.deps.state.onChange((changes) => this.onChanges(changes)),
      this.deps.state.onRestore(() => this.enqueueAll()),
    )
    if (this.deps.leadership.status().role === 'leader') void this.becomeLeader()
  }

  stop(): void {
    this.stepDown()
    for (const off of this.offs) off()
    this.offs = []
  }

  /** An agent's heartbeat; false when this node does not lead (the agent then finds the leader again). */
  heartbeat(node: string): boolean {
    if (this.deps.leadership.status().role !== 'leader') return false
    this.liveness.heartbeat(node, Date.now())
    return true
  }

  reportStatuses(node: string, reports: readonly PodReport[]): boolean {
    if (!this.active) return false
    this.intake.add(node, reports)
    this.queue.add('status')
    return true
  }

  private async becomeLeader(): Promise<void> {
    const epoch = ++this.epoch
    this.liveness.reset(Date.now())
    // Act only on a state that holds every entry committed by earlier leaders.
    for (;;) {
      if (epoch !== this.epoch || this.deps.leadership.status().role !== 'leader') return
      try {
        await this.deps.leadership.readIndex({ signal: AbortSignal.timeout(2_000) })
        break
      } catch {
        await new Promise((r) => setTimeout(r, 50))
      }
    }
    if (epoch !== this.epoch) return
    this.deps.log.info({}, 'controllers started (this node leads)')
    this.active = true
    this.queue.start()
    this.timers.push(
      setInterval(() => this.checkLiveness(), this.opts.livenessCheckMs ?? 200),
      setInterval(() => this.enqueueAll(), this.opts.resyncMs ?? 2_000),
    )
    this.enqueueAll()
  }

  private stepDown(): void {
    this.epoch++
    if (!this.active) return
    this.active = false
    this.queue.stop()
    this.intake.clear()
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    for (const l of this.later.values()) clearTimeout(l.timer)
    this.later.clear()
    this.deps.log.info({}, 'controllers stopped (this node no longer leads)')
  }

  private async sync(key: string): Promise<void> {
    const [kind, a, b] = key.split('/') as [string, string | undefined, string | undefined]
    if (kind === 'node') return syncNode(this.ctx, a!, { drainMs: this.opts.podDrainMs ?? DEFAULT_DRAIN_MS })
    if (kind === 'deploy') return this.syncAgainIn(key, await syncDeployment(this.ctx, a!, b!, { drainMs: this.opts.podDrainMs ?? DEFAULT_DRAIN_MS }))
    if (kind === 'schedule') return syncSchedule(this.ctx)
    if (kind === 'status') return this.intake.flush(this.ctx)
  }

  private syncAgainIn(key: string, delayMs: number | undefined): void {
    if (delayMs === undefined || !this.active) return
    const at = Date.now() + delayMs
    const pending = this.later.get(key)
    if (pending && pending.at <= at) return
    if (pending) clearTimeout(pending.timer)
    const timer = setTimeout(() => {
      this.later.delete(key)
      this.queue.add(key)
    }, delayMs)
    this.later.set(key, { at, timer })
  }

  private checkLiveness(): void {
    const nodes = this.deps.state.store.list('Node')
    const now = Date.now()
    const due = planNodeTransitions(
      nodes.map((n) => ({ name: n.name, ready: nodeReadyStatus(n), lastSeenMs: this.liveness.lastSeen(n.name) })),
      now,
      this.ctx.graceMs,
    )
    for (const t of due) this.queue.add(`node/${t.name}`)
  }

  private enqueueAll(): void {
    if (!this.active) return
    for (const n of this.deps.state.store.list('Node')) this.queue.add(`node/${n.name}`)
    for (const d of this.deps.state.store.list('Deployment')) this.queue.add(`deploy/${d.namespace}/${d.name}`)
    // A deleted Deployment's pods still to collect (after a leader change, nothing else would bring them up).
    for (const p of this.deps.state.store.list('Pod')) {
      const owner = controllerOf(p)
      if (owner?.kind === 'Deployment') this.queue.add(`deploy/${p.namespace}/${owner.name}`)
    }
    this.queue.add('schedule')
    this.queue.add('status')
  }

  /** Event handlers only enqueue keys. */
  private onChanges(changes: readonly Change[]): void {
    if (!this.active) return
    let schedule = false
    for (const c of changes) {
      const o = c.object
      if (o.kind === 'Deployment') this.queue.add(`deploy/${o.namespace}/${o.name}`)
      else if (o.kind === 'Node') {
        this.queue.add(`node/${o.name}`)
        schedule = true
        // Its readiness decides what happens to lost pods: their deployments look again.
        for (const d of this.deps.state.store.list('Deployment')) this.queue.add(`deploy/${d.namespace}/${d.name}`)
      } else if (o.kind === 'Pod') {
        schedule = true
        const owner = controllerOf(o)
        if (owner?.kind === 'Deployment') this.queue.add(`deploy/${o.namespace}/${owner.name}`)
        const node = podNodeName(o)
        if (node !== undefined) this.queue.add(`node/${node}`)
      }
    }
    if (schedule) this.queue.add('schedule')
    if (changes.some((c) => c.object.kind === 'Pod')) {
      for (const n of this.deps.state.store.list('Node')) if (annotationsOf(n)[DRAIN_ANNOTATION] === 'true') this.queue.add(`node/${n.name}`)
    }
  }
}
