import type { MemoryStorageApi, RaftEvent, RaftNodeApi } from '../api.js'
import type { Rand } from '../rand.js'
import type { ConfState, Entry, Message, NodeId, ReadState, Ready, Snapshot } from '../types.js'
import type { Monitor } from './checks/monitor.js'
import type { LogView } from './checks/leader-completeness.js'
import type { Core } from './core.js'
import { Disk } from './disk.js'
import { LogChain } from './log-chain.js'
import type { Applied } from './state-machine.js'
import { StateMachine } from './state-machine.js'
import { Check } from './violation.js'

/** Raft settings shared by every node of a run. */
export interface RaftTuning {
  readonly electionTick: number
  readonly heartbeatTick: number
  readonly maxSizePerMsg: number
  readonly maxInflightMsgs: number
  readonly maxSnapshotChunkBytes: number
}

/** What a node needs from the cluster around it. */
export interface NodeEnv {
  readonly core: Core
  readonly monitor: Monitor
  readonly tuning: RaftTuning
  /** Disks lie: a crash loses the last fsynced Ready (only to prove the checks catch it). */
  readonly forgetfulDisks: boolean
  send(m: Message): void
  applied(node: SimNode, e: Entry, what: Applied): void
  /** The node's state machine was replaced by a snapshot, or lost in a crash. */
  reset(node: SimNode): void
  readState(node: SimNode, rs: ReadState): void
  event(node: SimNode, ev: RaftEvent): void
}

/**
 * Where a scheduled crash strikes: before the next Ready is persisted, after it is persisted but before its
 * messages are sent, or after they are sent but before it is applied.
 */
export type CrashPoint = 'beforePersist' | 'afterPersist' | 'afterSend'

const textDecoder = new TextDecoder()

/** One simulated server: the core, its in-memory storage, its disk and its state machine. */
export class SimNode {
  readonly disk: Disk
  #raw: RaftNodeApi | undefined
  #storage: MemoryStorageApi | undefined
  #sm: StateMachine
  readonly #chain = new LogChain()
  #crashAt: CrashPoint | undefined

  constructor(
    readonly id: NodeId,
    initialConf: ConfState,
    readonly env: NodeEnv,
  ) {
    this.disk = new Disk(initialConf, { forgetful: env.forgetfulDisks })
    this.#sm = new StateMachine(initialConf)
  }

  get up(): boolean {
    return this.#raw !== undefined
  }

  get raw(): RaftNodeApi | undefined {
    return this.#raw
  }

  get sm(): StateMachine {
    return this.#sm
  }

  get crashArmed(): boolean {
    return this.#crashAt !== undefined
  }

  /** Writes the cluster's founding state on this (first) node's empty disk. */
  bootstrap(): void {
    const scratch = this.env.core.newStorage()
    this.env.core.bootstrap(scratch, this.id)
    const entries = scratch.lastIndex() === 0 ? [] : scratch.entries(1, scratch.lastIndex() + 1, Infinity)
    this.disk.write({ snapshot: undefined, entries, hardState: scratch.initialState().hardState }, true)
  }

  /** Boots from whatever the disk holds: the state machine from the snapshot, the log from the entries. */
  start(rand: Rand): void {
    const { env } = this
    const img = this.disk.image
    const storage = env.core.newStorage(img.initialConf)
    const sm = img.snapshot === undefined ? new StateMachine(img.initialConf) : StateMachine.restore(img.snapshot.data)
    if (img.snapshot !== undefined) storage.applySnapshot(img.snapshot)
    if (img.entries.length > 0) storage.append(img.entries)
    storage.setHardState(img.hardState)
    env.monitor.hardState.restarted(this.id, img.hardState)
    this.#storage = storage
    this.#sm = sm
    this.#chain.reset(sm.index, sm.chain)
    this.#hold(img.entries)
    if (sm.index > 0) env.monitor.report(Check.stateMachineSafety, env.monitor.stateMachine.restored(this.id, sm.index, sm.chain))
    const t = env.tuning
    this.#raw = env.core.newNode({
      id: this.id,
      storage,
      rand,
      electionTick: t.electionTick,
      heartbeatTick: t.heartbeatTick,
      maxSizePerMsg: t.maxSizePerMsg,
      maxInflightMsgs: t.maxInflightMsgs,
      maxSnapshotChunkBytes: t.maxSnapshotChunkBytes,
      onEvent: (ev) => this.#onEvent(ev),
    })
  }

  /** Loses everything volatile: the core, the in-memory log, the state machine, and writes never fsynced. */
  crash(): void {
    this.#raw = undefined
    this.#storage = undefined
    this.#crashAt = undefined
    this.disk.crash()
    this.env.monitor.stateMachine.forget(this.id)
    this.env.reset(this)
  }

  armCrash(point: CrashPoint): void {
    this.#crashAt = point
  }

  /** Runs `fn` on the core; a throw is a broken contract. Undefined when down or after a throw. */
  call<T>(what: string, fn: (raw: RaftNodeApi) => T): T | undefined {
    const raw = this.#raw
    if (raw === undefined) return undefined
    try {
      return fn(raw)
    } catch (err) {
      this.env.monitor.coreError(this.id, what, err)
      return undefined
    }
  }

  tick(): void {
    this.call('tick()', (r) => r.tick())
    this.processReady()
  }

  step(m: Message): void {
    this.call(`step(${m.type} from ${m.from})`, (r) => r.step(m))
    this.processReady()
  }

  /** Drains the core's Readies: persist, send, apply, advance — or crash at the armed point. */
  processReady(): void {
    for (;;) {
      const rd = this.call('ready()', (r) => (r.hasReady() ? r.ready() : undefined))
      if (rd === undefined || !this.env.monitor.ok) return
      if (this.#crashAt === 'beforePersist') return this.crash()
      if (!this.#guard('persisting a Ready', () => this.#persist(rd))) return
      if (this.#crashAt === 'afterPersist') return this.crash()
      for (const m of rd.messages) this.env.send(m)
      if (this.#crashAt === 'afterSend') return this.crash()
      if (!this.#guard('applying a Ready', () => this.#apply(rd))) return
      this.call('advance()', (r) => r.advance())
    }
  }

  /** The application snapshots its state machine and compacts the log, keeping `keep` entries before it. */
  takeSnapshot(keep: number): Snapshot | undefined {
    const storage = this.#storage
    const sm = this.#sm
    if (storage === undefined || sm.index <= storage.snapshot().metadata.index) return undefined
    let snap: Snapshot | undefined
    const ok = this.#guard('snapshotting', () => {
      snap = storage.createSnapshot(sm.index, sm.conf, sm.encode())
      const compactTo = Math.max(storage.firstIndex() - 1, sm.index - keep)
      if (compactTo >= storage.firstIndex()) storage.compact(compactTo)
      this.disk.saveSnapshot(snap, compactTo)
    })
    return ok ? snap : undefined
  }

  /** The log as it stands (for Leader Completeness at election time). */
  logView(): LogView {
    const storage = this.#storage
    if (storage === undefined) return { snapshotIndex: 0, lastIndex: 0, termAt: () => undefined }
    return {
      snapshotIndex: storage.firstIndex() - 1,
      lastIndex: storage.lastIndex(),
      termAt: (i) => {
        try {
          return storage.term(i)
        } catch {
          return undefined
        }
      },
    }
  }

  #guard(what: string, fn: () => void): boolean {
    try {
      fn()
      return true
    } catch (err) {
      this.env.monitor.coreError(this.id, what, err)
      return false
    }
  }

  #persist(rd: Ready): void {
    const storage = this.#storage as MemoryStorageApi
    if (rd.snapshot !== undefined) {
      const sm = this.#restoreSnapshot(rd.snapshot)
      storage.applySnapshot(rd.snapshot)
      this.#chain.reset(sm.index, sm.chain)
    }
    if (rd.entries.length > 0) {
      storage.append(rd.entries)
      this.#hold(rd.entries)
    }
    if (rd.hardState !== undefined) {
      storage.setHardState(rd.hardState)
      const { monitor } = this.env
      monitor.report(Check.persistentState, monitor.hardState.persisted(this.id, rd.hardState, storage.lastIndex()))
    }
    this.disk.write({ snapshot: rd.snapshot, entries: rd.entries, hardState: rd.hardState }, rd.mustSync)
  }

  /** Decodes a snapshot from the core, checking its data agrees with its metadata. */
  #restoreSnapshot(snap: Snapshot): StateMachine {
    const sm = StateMachine.restore(snap.data)
    if (sm.index !== snap.metadata.index) {
      this.env.monitor.report(Check.coreContract, `${this.id} got a snapshot at index ${snap.metadata.index} whose data is at index ${sm.index}`)
    }
    return sm
  }

  #hold(entries: readonly Entry[]): void {
    const { monitor } = this.env
    const held = this.#chain.append(entries)
    if (typeof held === 'string') return monitor.report(Check.coreContract, `${this.id}: ${held}`)
    for (const h of held) monitor.report(Check.logMatching, monitor.logMatching.entryHeld(this.id, h.index, h.term, h.chain, h.entry))
  }

  #apply(rd: Ready): void {
    const { monitor } = this.env
    if (rd.snapshot !== undefined) {
      this.#sm = StateMachine.restore(rd.snapshot.data)
      monitor.report(Check.stateMachineSafety, monitor.stateMachine.restored(this.id, this.#sm.index, this.#sm.chain))
      this.env.reset(this)
    }
    if (rd.committedEntries.length > 0) {
      const term = (this.#raw as RaftNodeApi).status().term
      for (const e of rd.committedEntries) this.#applyEntry(e, term)
    }
    for (const rs of rd.readStates) this.env.readState(this, rs)
  }

  #applyEntry(e: Entry, term: number): void {
    const { monitor } = this.env
    const payload = e.type === 'normal' && e.data.length > 0 ? textDecoder.decode(e.data) : undefined
    monitor.report(Check.durability, monitor.durability.applied(this.id, e.index, e.term, payload))
    monitor.report(Check.stateMachineSafety, monitor.stateMachine.applied(this.id, e))
    monitor.leaderCompleteness.committed(e.index, e.term, term)
    this.env.applied(this, e, this.#sm.apply(e))
  }

  #onEvent(ev: RaftEvent): void {
    const { monitor } = this.env
    if (ev.type === 'becameLeader') {
      monitor.report(Check.electionSafety, monitor.electionSafety.leaderElected(this.id, ev.term))
      monitor.report(Check.leaderCompleteness, monitor.leaderCompleteness.leaderElected(this.id, ev.term, this.logView()))
    }
    this.env.event(this, ev)
  }
}
