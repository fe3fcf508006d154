// The async Ready loop around the pure core (model: etcd's raft node + etcdserver's raftNode).
// Inputs (ticks, messages, proposals) are stepped into the core as they come; one loop turns each
// Ready into I/O. While a Ready is being persisted, new inputs accumulate in the core and all go out
// in the next Ready: that group commit is what keeps many concurrent proposers to one fsync per batch.
import type { RaftConfig, RaftEvent, RaftStatus } from './api.js'
import { bootstrapFirstNode } from './bootstrap.js'
import { DriverStoppedError, NotLeaderError, ProposalRejectedError, ReadIndexLostError } from './driver-errors.js'
import { ProposalWaiters, ReadWaiters } from './driver-waiters.js'
import type { Committed } from './driver-waiters.js'
import type { LevelStorage } from './level-storage.js'
import type { MemoryStorage } from './memory-storage.js'
import { seededRand } from './rand.js'
import { RawNode } from './raw-node.js'
import type { ConfChange, Entry, Message, NodeId, ProposalResult, Ready, RequestResult, Role, Snapshot, SoftState } from './types.js'

export type { Committed } from './driver-waiters.js'

/** Delivers messages to their `to` node, best effort. Never throws; unreachable peers are reported with driver.reportUnreachable. */
export interface Transport {
  send(messages: readonly Message[]): void
}

/** What a transport calls on the driver. */
export interface MessageReceiver {
  receive(m: Message): void
  reportUnreachable(id: NodeId): void
}

/** The replicated application. Entries arrive in index order, including the leader's empty no-ops and 'conf' entries. */
export interface StateMachine {
  apply(entries: readonly Entry[]): void | Promise<void>
  restore(snapshot: Snapshot): void | Promise<void>
  /** The state as of the last applied entry. */
  snapshot(): Uint8Array | Promise<Uint8Array>
}

export interface DriverClock {
  setInterval(fn: () => void, ms: number): unknown
  clearInterval(handle: unknown): void
  /** Milliseconds, for proposal timeouts. Default Date.now. */
  now?(): number
}

export interface RaftDriverComponents {
  readonly storage: LevelStorage
  readonly transport: Transport
  readonly stateMachine: StateMachine
  readonly clock?: DriverClock
}

export interface RaftDriverOptions {
  readonly id: NodeId
  /** Seeds the core's randomness (election timeouts). Default: derived from the id. */
  readonly seed?: number
  /** Default 50. */
  readonly tickMs?: number
  /** Take a state machine snapshot every this many applied entries. Default 10,000. */
  readonly snapshotEntries?: number
  /** Entries kept behind a snapshot for slow followers. Default 5,000. */
  readonly compactionOverhead?: number
  /** When the store is empty, start a new cluster with this node as its only voter. */
  readonly bootstrap?: boolean
  /** Index the state machine has already applied (a durable state machine). Default: the snapshot's index. */
  readonly applied?: number
  /** Passed to the core. */
  readonly raft?: Omit<Partial<RaftConfig>, 'id' | 'storage' | 'rand' | 'applied' | 'onEvent'>
}

export type DriverEvent =
  | RaftEvent
  | { readonly type: 'leaderChanged'; readonly leader: NodeId; readonly role: Role }
  | { readonly type: 'fatal'; readonly error: unknown }

export interface CallOptions {
  readonly signal?: AbortSignal
  /**
   * Proposals only: fail with ProposalTimeoutError when not applied within this many ms (checked on each
   * tick, so up to tickMs late). Cheaper than an AbortSignal.timeout per proposal.
   */
  readonly timeoutMs?: number
}

const defaultClock: DriverClock = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
  now: Date.now,
}

/** How long an idle leader holds commit-only appends before sending them (holdCommitNotices). */
const COMMIT_NOTICE_HOLD_MS = 3

function seedOf(id: NodeId): number {
  let h = 2166136261
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619)
  return h >>> 0
}

function rejection(r: Exclude<ProposalResult | RequestResult, { ok: true }>): Error {
  return r.reason === 'notLeader' ? new NotLeaderError(r.leader) : new ProposalRejectedError(r.reason, r.leader)
}

export class RaftDriver implements MessageReceiver {
  readonly id: NodeId
  private readonly proposals = new ProposalWaiters()
  private readonly reads: ReadWaiters
  private readonly listeners = new Set<(e: DriverEvent) => void>()
  private readonly timer: unknown
  private readonly snapshotEntries: number
  private readonly compactionOverhead: number
  private node!: RawNode
  private applied: number
  private role: Role = 'follower'
  private leader: NodeId = ''
  private stopped = false
  /** The last Ready loop started; stop() waits for it. */
  private running: Promise<void> = Promise.resolve()
  private wakeScheduled = false
  private looping = false
  /** A leader's appends that only carry a new commit index, not sent yet (see holdCommitNotices). */
  private heldCommits: readonly Message[] = []
  private releaseScheduled = false

  private constructor(
    private readonly c: Required<RaftDriverComponents>,
    private readonly mem: MemoryStorage,
    opts: RaftDriverOptions,
    applied: number,
  ) {
    this.id = opts.id
    this.reads = new ReadWaiters(opts.id)
    this.applied = applied
    this.snapshotEntries = opts.snapshotEntries ?? 10_000
    this.compactionOverhead = opts.compactionOverhead ?? 5_000
    this.timer = this.c.clock.setInterval(() => this.tick(), opts.tickMs ?? 50)
  }

  /** Loads the store (bootstrapping it if asked and empty), restores the state machine and starts ticking. */
  static async start(components: RaftDriverComponents, opts: RaftDriverOptions): Promise<RaftDriver> {
    const c = { ...components, clock: components.clock ?? defaultClock }
    const loaded = c.storage.load()
    const mem = loaded.storage
    if (opts.bootstrap && loaded.lastIndex === 0 && !loaded.hardState && !loaded.snapshot) {
      bootstrapFirstNode(mem, opts.id)
      const { hardState } = mem.initialState()
      await c.storage.save({ entries: mem.entries(1, mem.lastIndex() + 1, Infinity), hardState, mustSync: true })
    }
    if (loaded.snapshot) await c.stateMachine.restore(loaded.snapshot)
    const applied = opts.applied ?? loaded.snapshot?.metadata.index ?? 0
    const d = new RaftDriver(c, mem, opts, applied)
    d.node = new RawNode({
      ...opts.raft,
      id: opts.id,
      storage: mem,
      rand: seededRand(opts.seed ?? seedOf(opts.id)),
      applied,
      onEvent: (e) => d.emit(e),
    })
    const { voters } = d.node.status().conf
    if (voters.length === 1 && voters[0] === opts.id) d.node.campaign()
    d.wake()
    return d
  }

  /** Resolves once the entry is applied with the term it was proposed in. */
  propose(data: Uint8Array, opts: CallOptions = {}): Promise<Committed> {
    if (this.stopped) return Promise.reject(new DriverStoppedError())
    return this.waitFor(this.node.propose(data), opts)
  }

  proposeConfChange(cc: ConfChange, opts: CallOptions = {}): Promise<Committed> {
    if (this.stopped) return Promise.reject(new DriverStoppedError())
    return this.waitFor(this.node.proposeConfChange(cc), opts)
  }

  /** Linearizable read barrier: resolves with the read index once this node has applied up to it. */
  readIndex(opts: CallOptions = {}): Promise<number> {
    if (this.stopped) return Promise.reject(new DriverStoppedError())
    const { context, promise } = this.reads.add(opts.signal)
    const r = this.node.readIndex(context)
    if (!r.ok) {
      this.reads.cancel(context)
      return Promise.reject(rejection(r))
    }
    this.wake()
    return promise
  }

  transferLeadership(to: NodeId): RequestResult {
    const r = this.node.transferLeadership(to)
    this.wake()
    return r
  }

  /** Starts an election now. */
  campaign(): void {
    this.node.campaign()
    this.wake()
  }

  status(): RaftStatus {
    return this.node.status()
  }

  get counters(): RaftNodeCounters {
    return this.node.counters
  }

  receive(m: Message): void {
    if (this.stopped) return
    this.node.step(m)
    this.wake()
  }

  reportUnreachable(id: NodeId): void {
    if (this.stopped) return
    this.node.reportUnreachable(id)
  }

  /** Subscribes to role, leader, membership and fatal events; returns the unsubscribe function. */
  on(listener: (e: DriverEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Stops ticking and waits for the Ready in flight to finish. Pending requests reject with DriverStoppedError. Does not close the store. */
  async stop(): Promise<void> {
    if (this.stopped) return this.running
    this.stopped = true
    this.c.clock.clearInterval(this.timer)
    await this.running
    this.rejectAll(new DriverStoppedError())
  }

  private waitFor(r: ProposalResult, opts: CallOptions): Promise<Committed> {
    if (!r.ok) return Promise.reject(rejection(r))
    const deadline = opts.timeoutMs === undefined ? Infinity : this.now() + opts.timeoutMs
    const p = this.proposals.add(r.index, r.term, opts.signal, deadline)
    this.wake()
    return p
  }

  private now(): number {
    return this.c.clock.now?.() ?? Date.now()
  }

  private tick(): void {
    if (this.stopped) return
    this.proposals.expire(this.now())
    this.node.tick()
    this.wake()
  }

  /** setImmediate lets every input already queued (messages, proposals) reach the core before the next Ready. */
  private wake(): void {
    if (this.looping || this.wakeScheduled || this.stopped) return
    this.wakeScheduled = true
    setImmediate(() => {
      this.wakeScheduled = false
      if (!this.looping && !this.stopped) this.running = this.run()
    })
  }

  private async run(): Promise<void> {
    this.looping = true
    try {
      while (!this.stopped && this.node.hasReady()) {
        await this.handleReady(this.node.ready())
        this.node.advance()
        await this.maybeCompact()
      }
    } catch (err) {
      this.fail(err)
    } finally {
      // Cleared in the same synchronous step as the last hasReady() check, so no input can slip in
      // between and find the loop neither running nor scheduled.
      this.looping = false
      if (this.heldCommits.length > 0) this.scheduleRelease()
    }
  }

  private async handleReady(rd: Ready): Promise<void> {
    if (rd.softState) this.onSoftState(rd.softState)
    // Committed entries this node already holds durably are applied while this Ready's entries are being
    // persisted: commit does not depend on them, and waiting would add an fsync to every commit's latency.
    // They are applied before anything is sent, so their proposers' continuations run before the sends.
    const stable = rd.committedEntries.length === 0 ? 0 : this.stableCount(rd.committedEntries)
    const applying = stable > 0 ? this.applyEntries(stable === rd.committedEntries.length ? rd.committedEntries : rd.committedEntries.slice(0, stable)) : undefined
    const later = this.sendEarly(rd)
    const saving = this.needsSave(rd) ? this.c.storage.save(rd) : undefined
    if (applying) await Promise.all([applying, saving])
    else if (saving) await saving
    if (rd.snapshot) this.mem.applySnapshot(rd.snapshot)
    if (rd.entries.length > 0) this.mem.append(rd.entries)
    if (rd.hardState) this.mem.setHardState(rd.hardState)
    if (later.length > 0) this.c.transport.send(later)
    if (rd.snapshot) await this.applySnapshot(rd.snapshot)
    if (stable < rd.committedEntries.length) await this.applyEntries(rd.committedEntries.slice(stable))
    if (rd.readStates.length > 0) this.reads.confirm(rd.readStates, this.applied)
  }

  /**
   * Every hard state the core hands out is written, a higher commit index alone included (without an
   * fsync: mustSync is false then). The core hands out a hard state only when it changed, so one left
   * unwritten would never reach the disk, and after a restart the configuration is the one as of the
   * stored commit index: a bootstrap node whose stored commit stayed at 1 saw itself as the only voter
   * and won an election alone, beside the real leader.
   */
  private needsSave(rd: Ready): boolean {
    return rd.snapshot !== undefined || rd.entries.length > 0 || rd.hardState !== undefined
  }

  /** How many of the committed entries are already in the persisted log (a follower may learn of a commit with the entries). */
  private stableCount(committed: readonly Entry[]): number {
    const persisted = this.mem.lastIndex()
    return Math.max(0, Math.min(committed.length, persisted - committed[0]!.index + 1))
  }

  /**
   * A leader may send appends before persisting them (Raft thesis §10.2.1): the core counts its own match
   * only after advance. Not when the Ready also changes the term or vote: a crash before that is durable
   * could let this node lead the same term twice.
   */
  private sendEarly(rd: Ready): readonly Message[] {
    const messages = rd.messages
    if (this.role !== 'leader' || messages.length === 0) return messages
    const stored = this.mem.initialState().hardState
    if (rd.hardState && (rd.hardState.term !== stored.term || rd.hardState.vote !== stored.vote)) {
      this.releaseHeld([])
      return messages
    }
    const early: Message[] = []
    const commitOnly: Message[] = []
    const later: Message[] = []
    for (const m of messages) (m.type !== 'app' ? later : m.entries.length > 0 ? early : commitOnly).push(m)
    this.releaseHeld(early)
    if (early.length > 0) this.c.transport.send(early)
    if (commitOnly.length > 0) this.holdCommitNotices(commitOnly)
    return later
  }

  /**
   * Appends that only carry a new commit index tell followers what to apply. They are held back a little:
   * the answers to the proposals that commit index resolves go first (the sends cost the leader more than
   * the answers do), and under load the next Ready usually has new entries for the same followers, whose
   * appends carry the same or a newer commit index: the held notice is then dropped, saving the message,
   * the follower's answer to it and their window updates. Dropping one is safe: Raft tolerates lost
   * messages, and one without entries takes no room in the follower's inflight window. Held notices leave
   * COMMIT_NOTICE_HOLD_MS after the loop goes idle: long enough for a client that writes one request at
   * a time to send its next one, whose append then carries the commit instead (at one API writer: a
   * quarter less CPU per write across the fleet, leader system calls per write 8.1+10.6 -> 7.0+9.1), and
   * short beside the heartbeat, which carries the commit index too.
   */
  private holdCommitNotices(messages: readonly Message[]): void {
    this.releaseHeld([])
    this.heldCommits = messages
    this.scheduleRelease()
  }

  /** Sends the held commit notices, except to followers that `covering` sends an append with entries to. */
  private releaseHeld(covering: readonly Message[]): void {
    const held = this.heldCommits
    if (held.length === 0) return
    this.heldCommits = []
    const covered = new Set<NodeId>()
    for (const m of covering) covered.add(m.to)
    const send = covered.size === 0 ? held : held.filter((m) => !covered.has(m.to))
    if (send.length > 0) this.c.transport.send(send)
  }

  /** While a Ready is being handled, the loop releases (or drops) what is held; when it ends, this does. */
  private scheduleRelease(): void {
    if (this.releaseScheduled) return
    this.releaseScheduled = true
    setTimeout(() => {
      this.releaseScheduled = false
      if (this.stopped) return
      if (!this.looping) this.releaseHeld([])
    }, COMMIT_NOTICE_HOLD_MS)
  }

  private async applySnapshot(snap: Snapshot): Promise<void> {
    await this.c.stateMachine.restore(snap)
    this.applied = snap.metadata.index
    this.proposals.snapshotApplied(snap.metadata.index, snap.metadata.term)
    this.reads.applied(this.applied)
  }

  private async applyEntries(entries: readonly Entry[]): Promise<void> {
    const r = this.c.stateMachine.apply(entries)
    if (r) await r
    this.applied = entries[entries.length - 1]!.index
    this.proposals.applied(entries)
    this.reads.applied(this.applied)
  }

  private async maybeCompact(): Promise<void> {
    const snapIndex = this.mem.snapshot().metadata.index
    if (this.applied - snapIndex < this.snapshotEntries) return
    const data = await this.c.stateMachine.snapshot()
    const snap = this.mem.createSnapshot(this.applied, this.node.status().conf, data)
    const upTo = this.applied - this.compactionOverhead
    if (upTo >= this.mem.firstIndex()) this.mem.compact(upTo)
    await this.c.storage.compact(Math.max(0, upTo), snap)
  }

  private onSoftState(s: SoftState): void {
    const leaderChanged = s.leader !== this.leader
    this.role = s.role
    this.leader = s.leader
    if (!leaderChanged) return
    this.reads.rejectUnconfirmed(new ReadIndexLostError())
    this.emit({ type: 'leaderChanged', leader: s.leader, role: s.role })
  }

  private fail(error: unknown): void {
    this.stopped = true
    this.c.clock.clearInterval(this.timer)
    this.rejectAll(new DriverStoppedError(error))
    this.emit({ type: 'fatal', error })
  }

  private rejectAll(err: Error): void {
    this.proposals.rejectAll(err)
    this.reads.rejectAll(err)
  }

  private emit(e: DriverEvent): void {
    for (const l of this.listeners) l(e)
  }
}

type RaftNodeCounters = RawNode['counters']
