import { decode, decodeConfChange, encode } from '../raft/codec.js'
import type { Entry } from '../raft/types.js'
import type { Command } from './commands.js'
import { MemberDirectory, type Member, type MemberInfo } from './members.js'
import { ObjectStore, type Change, type StoredObject, type WriteOutcome } from './store.js'
import { WatchHistory } from './watch-history.js'

interface SnapshotBody {
  readonly version: 1
  readonly applied: number
  readonly members: readonly Member[]
  readonly objects: readonly StoredObject[]
}

export type ChangeListener = (changes: readonly Change[]) => void

export interface ClusterStateOptions {
  /** Changes kept for watchers. Default 20,000. */
  readonly historySize?: number
}

/**
 * The state every member agrees on, built by applying the Raft log in order: the member directory
 * (from conf changes) and the object store (from commands). Deterministic: the same log gives the same state.
 */
export class ClusterState {
  readonly members = new MemberDirectory()
  readonly store = new ObjectStore()
  /** Recent changes, for watchers that start from a resourceVersion. */
  readonly history: WatchHistory
  private appliedIndex = 0
  private readonly outcomes = new Map<number, WriteOutcome>()
  private readonly listeners = new Set<ChangeListener>()
  private readonly restoreListeners = new Set<(index: number) => void>()
  private appliedWaiters: { index: number; resolve: () => void }[] = []

  constructor(opts: ClusterStateOptions = {}) {
    this.history = new WatchHistory(opts.historySize ?? 20_000)
  }

  get applied(): number {
    return this.appliedIndex
  }

  apply(entries: readonly Entry[]): void {
    const changes: Change[] = []
    for (const e of entries) {
      if (e.type === 'conf') {
        const cc = decodeConfChange(e.data)
        this.members.apply(cc, cc.context && cc.context.length > 0 ? decode<MemberInfo>(cc.context) : undefined, e.index)
      } else if (e.data.length > 0) {
        const cmd = decode<Command>(e.data)
        if (cmd.type === 'memberInfo') {
          this.members.update(cmd.id, cmd.info)
        } else {
          const result = this.store.apply(cmd, e.index)
          this.remember(e.index, result.outcome)
          changes.push(...result.changes)
        }
      }
      this.appliedIndex = e.index
    }
    if (changes.length > 0) {
      this.history.add(changes)
      for (const l of this.listeners) l(changes)
    }
    this.wakeAppliedWaiters()
  }

  /** Resolves once this node has applied the entry at index (a write made through another node, say). */
  waitApplied(index: number): Promise<void> {
    if (this.appliedIndex >= index) return Promise.resolve()
    return new Promise((resolve) => this.appliedWaiters.push({ index, resolve }))
  }

  private wakeAppliedWaiters(): void {
    if (this.appliedWaiters.length === 0) return
    const ready = this.appliedWaiters.filter((w) => w.index <= this.appliedIndex)
    this.appliedWaiters = this.appliedWaiters.filter((w) => w.index > this.appliedIndex)
    for (const w of ready) w.resolve()
  }

  /** The outcome of the command applied at index, if it was applied recently (proposers read it once). */
  takeOutcome(index: number): WriteOutcome | undefined {
    const o = this.outcomes.get(index)
    this.outcomes.delete(index)
    return o
  }

  /** Called synchronously after each applied batch that changed objects, in log order. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Called when a snapshot replaced the whole state: changes since the last batch are not known one by one. */
  onRestore(listener: (index: number) => void): () => void {
    this.restoreListeners.add(listener)
    return () => this.restoreListeners.delete(listener)
  }

  snapshot(): Uint8Array {
    const body: SnapshotBody = { version: 1, applied: this.appliedIndex, members: this.members.all(), objects: this.store.toSnapshot() }
    return encode(body)
  }

  restore(data: Uint8Array, index: number): void {
    const body = data.length > 0 ? decode<SnapshotBody>(data) : undefined
    this.members.restore(body?.members ?? [])
    this.store.restore(body?.objects ?? [])
    this.appliedIndex = index
    this.outcomes.clear()
    this.history.reset(index)
    for (const l of this.restoreListeners) l(index)
    this.wakeAppliedWaiters()
  }

  private remember(index: number, outcome: WriteOutcome): void {
    this.outcomes.set(index, outcome)
    // Proposers take their outcome right after apply; keep a bounded window for the ones that never do.
    if (this.outcomes.size > 10_000) {
      const oldest = this.outcomes.keys().next().value
      if (oldest !== undefined) this.outcomes.delete(oldest)
    }
  }
}
