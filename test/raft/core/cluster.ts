// A tiny deterministic harness for interaction tests: RawNodes on MemoryStorage, a message queue,
// and a loop that drives Ready/advance exactly as a driver would. Not a test file itself.
import type { RaftConfig, RaftEvent } from '../../../src/raft/api.js'
import { MemoryStorage } from '../../../src/raft/memory-storage.js'
import { seededRand } from '../../../src/raft/rand.js'
import { RawNode } from '../../../src/raft/raw-node.js'
import type { ConfState, Entry, Message, NodeId, ReadState } from '../../../src/raft/types.js'

export type Overrides = Omit<Partial<RaftConfig>, 'id' | 'storage' | 'rand'>

export interface Member {
  readonly id: NodeId
  node: RawNode
  readonly storage: MemoryStorage
  applied: Entry[]
  readStates: ReadState[]
  events: RaftEvent[]
  snapshotsApplied: number
}

export class Cluster {
  readonly members = new Map<NodeId, Member>()
  queue: Message[] = []
  /** Return true to drop a message in transit. */
  drop: (m: Message) => boolean = () => false
  delivered: Message[] = []

  constructor(readonly seed: number, readonly overrides: Overrides = {}) {}

  /** Nodes that all start with the same configuration in their initial snapshot (etcd's test style). */
  static withVoters(ids: readonly NodeId[], seed = 1, overrides: Overrides = {}): Cluster {
    const c = new Cluster(seed, overrides)
    for (const id of ids) c.add(id, new MemoryStorage({ voters: ids, learners: [] }))
    return c
  }

  add(id: NodeId, storage: MemoryStorage, extra: Overrides = {}): Member {
    const events: RaftEvent[] = []
    const node = new RawNode({
      ...this.overrides, ...extra, id, storage,
      rand: seededRand(this.seed * 1000 + this.members.size),
      onEvent: (e) => events.push(e),
    })
    const m: Member = { id, node, storage, applied: [], readStates: [], events, snapshotsApplied: 0 }
    this.members.set(id, m)
    return m
  }

  get(id: NodeId): Member {
    const m = this.members.get(id)
    if (m === undefined) throw new Error(`no member ${id}`)
    return m
  }

  /** Handles one Ready of one node like a driver: persist, send, apply, advance. */
  processReady(id: NodeId): boolean {
    const m = this.get(id)
    if (!m.node.hasReady()) return false
    const rd = m.node.ready()
    if (rd.snapshot !== undefined) m.storage.applySnapshot(rd.snapshot)
    m.storage.append(rd.entries)
    if (rd.hardState !== undefined) m.storage.setHardState(rd.hardState)
    this.queue.push(...rd.messages)
    if (rd.snapshot !== undefined) {
      m.snapshotsApplied++
      m.applied = m.applied.filter((e) => e.index <= rd.snapshot!.metadata.index)
    }
    m.applied.push(...rd.committedEntries)
    m.readStates.push(...rd.readStates)
    m.node.advance()
    return true
  }

  /** Delivers queued messages (one batch); returns how many were delivered. */
  deliver(): number {
    const batch = this.queue
    this.queue = []
    let n = 0
    for (const msg of batch) {
      const to = this.members.get(msg.to)
      if (to === undefined || this.drop(msg)) continue
      this.delivered.push(msg)
      to.node.step(msg)
      n++
    }
    return n
  }

  /**
   * `id` campaigns and the first two rounds of messages are delivered (vote requests, then the votes):
   * it leads, but the appends carrying its no-op are still queued, so the no-op is not committed.
   */
  electWithoutCommit(id: NodeId, others: readonly NodeId[]): void {
    this.get(id).node.campaign()
    this.processReady(id)
    this.deliver()
    for (const o of others) this.processReady(o)
    this.deliver()
  }

  /** Runs Ready handling and delivery until quiet. */
  stabilize(maxRounds = 1000): void {
    for (let i = 0; i < maxRounds; i++) {
      let busy = false
      for (const id of this.members.keys()) while (this.processReady(id)) busy = true
      if (this.queue.length > 0) {
        this.deliver()
        busy = true
      }
      if (!busy) return
    }
    throw new Error(`cluster did not stabilize in ${maxRounds} rounds (seed ${this.seed})`)
  }

  tick(id: NodeId, n = 1): void {
    for (let i = 0; i < n; i++) this.get(id).node.tick()
  }

  /** Ticks every node once and stabilizes, n times. */
  tickAll(n = 1): void {
    for (let i = 0; i < n; i++) {
      for (const m of this.members.values()) m.node.tick()
      this.stabilize()
    }
  }

  leaders(): NodeId[] {
    return [...this.members.values()].filter((m) => m.node.status().role === 'leader').map((m) => m.id)
  }

  leader(): Member | undefined {
    const ids = this.leaders()
    return ids.length === 1 ? this.get(ids[0]) : undefined
  }

  /** Application data of the normal entries applied by a member. */
  appliedData(id: NodeId): string[] {
    return this.get(id).applied.filter((e) => e.type === 'normal' && e.data.byteLength > 0).map((e) => new TextDecoder().decode(e.data))
  }
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)

export function confOf(c: Cluster, id: NodeId): ConfState {
  return c.get(id).node.status().conf
}
