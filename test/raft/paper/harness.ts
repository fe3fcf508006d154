// A deterministic test network for the Raft core, modelled on etcd's `network` (raft_test.go).
// Every node is a RawNode over its own MemoryStorage; time is ticks; messages sit in one queue
// that tests deliver, drop or hold selectively. Nothing here is clever: it is the driver loop of
// api.ts (ready -> persist -> send -> apply -> advance) run by hand.
import { RawNode } from '../../../src/raft/raw-node.js'
import { MemoryStorage } from '../../../src/raft/memory-storage.js'
import { seededRand } from '../../../src/raft/rand.js'
import type { BuiltPlugins, Test, TestOpts } from '@tapjs/test'
import type { RaftConfig, RaftEvent, RaftStatus } from '../../../src/raft/api.js'
import type {
  ConfState,
  Entry,
  HardState,
  Message,
  MessageType,
  NodeId,
  ReadState,
  Ready,
  Role,
  Snapshot,
} from '../../../src/raft/types.js'

import type { MessageOf } from './messages.js'

export type { MessageOf }

/** RaftConfig without the per-node parts the harness fills in. */
export type Options = Omit<RaftConfig, 'id' | 'storage' | 'rand' | 'applied' | 'onEvent'>

/** The plain algorithm of the paper's §5: no pre-vote, no check-quorum (those are thesis §9.6 extensions). */
export const PAPER: Options = { electionTick: 10, heartbeatTick: 1, preVote: false, checkQuorum: false }

/** The core's defaults: pre-vote and check-quorum on. */
export const DEFAULTS: Options = { electionTick: 10, heartbeatTick: 1 }

const enc = new TextEncoder()
const dec = new TextDecoder()

export function bytes(s: string): Uint8Array {
  return enc.encode(s)
}

export function text(b: Uint8Array): string {
  return dec.decode(b)
}

export function ent(index: number, term: number, data: string = ''): Entry {
  return { index, term, type: 'normal', data: bytes(data) }
}

/** Entries whose terms are `terms`, starting at index `from` (Figure 7 writes logs this way). */
export function entriesOfTerms(terms: readonly number[], from = 1): Entry[] {
  return terms.map((term, i) => ent(from + i, term, `e${from + i}t${term}`))
}

/** A log as "index:term" strings, for readable comparisons. */
export function ids(entries: readonly Entry[]): string[] {
  return entries.map((e) => `${e.index}:${e.term}`)
}

/** A stable 32-bit seed for one node of one run, so two nodes of a run never share a random stream. */
export function nodeSeed(seed: number, id: NodeId): number {
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0
  return h
}

/** A storage preloaded with a log and a hard state, as a node finds it after a restart. */
export function storageWith(conf: ConfState, entries: readonly Entry[] = [], hs?: HardState): MemoryStorage {
  const s = new MemoryStorage(conf)
  if (entries.length > 0) s.append(entries)
  if (hs !== undefined) s.setHardState(hs)
  return s
}

/** One node: its storage (what survives a crash), its RawNode (what does not) and what it applied. */
export class Peer {
  node: RawNode
  up = true
  readonly applied: Entry[] = []
  appliedIndex: number
  readonly readStates: ReadState[] = []
  readonly snapshots: Snapshot[] = []
  readonly events: RaftEvent[] = []
  /** Gaps or regressions in what the core handed out to apply (should stay empty). */
  readonly applyErrors: string[] = []
  private boots = 0

  constructor(
    readonly id: NodeId,
    readonly storage: MemoryStorage,
    readonly options: Options,
    private readonly seed: number,
  ) {
    this.appliedIndex = storage.snapshot().metadata.index
    this.node = this.boot()
  }

  private boot(): RawNode {
    this.boots++
    return new RawNode({
      ...this.options,
      id: this.id,
      storage: this.storage,
      rand: seededRand(nodeSeed(this.seed + this.boots, this.id)),
      applied: this.appliedIndex,
      onEvent: (e: RaftEvent) => this.events.push(e),
    })
  }

  /** The state machine snapshots itself at what it applied and the log before it is discarded (§7). */
  compact(data: Uint8Array = bytes(`state@${this.appliedIndex}`)): number {
    const index = this.appliedIndex
    if (index <= this.storage.snapshot().metadata.index) return 0
    this.storage.createSnapshot(index, this.status().conf, data)
    this.storage.compact(index)
    return index
  }

  /** A crash loses the RawNode; the storage keeps what was persisted. */
  restart(): void {
    this.node = this.boot()
    this.up = true
  }

  /** Runs the driver loop until the node has nothing more to say; returns the messages to send. */
  drain(): Message[] {
    const out: Message[] = []
    while (this.node.hasReady()) {
      const rd = this.node.ready()
      this.persist(rd)
      out.push(...rd.messages)
      this.apply(rd)
      this.node.advance()
    }
    return out
  }

  private persist(rd: Ready): void {
    if (rd.snapshot !== undefined) this.storage.applySnapshot(rd.snapshot)
    if (rd.entries.length > 0) this.storage.append(rd.entries)
    if (rd.hardState !== undefined) this.storage.setHardState(rd.hardState)
  }

  private apply(rd: Ready): void {
    if (rd.snapshot !== undefined) {
      const at = rd.snapshot.metadata.index
      if (at <= this.appliedIndex) this.applyErrors.push(`snapshot at ${at} would move the state machine back from ${this.appliedIndex}`)
      this.snapshots.push(rd.snapshot)
      this.appliedIndex = at
    }
    for (const e of rd.committedEntries) {
      if (e.index !== this.appliedIndex + 1) this.applyErrors.push(`applied ${e.index} after ${this.appliedIndex}`)
      this.applied.push(e)
      this.appliedIndex = e.index
    }
    this.readStates.push(...rd.readStates)
  }

  status(): RaftStatus {
    return this.node.status()
  }

  get role(): Role {
    return this.node.status().role
  }

  get term(): number {
    return this.node.status().term
  }

  get commit(): number {
    return this.node.status().commit
  }

  /** The persisted log (after the snapshot). */
  log(): Entry[] {
    const first = this.storage.firstIndex()
    const last = this.storage.lastIndex()
    return last < first ? [] : this.storage.entries(first, last + 1, Number.MAX_SAFE_INTEGER)
  }

  /** Applied application entries (the leaders' no-ops and conf entries left out), as text. */
  appliedData(): string[] {
    return this.applied.filter((e) => e.type === 'normal' && e.data.length > 0).map((e) => text(e.data))
  }
}

/** 'deliver' to step it now, 'drop' to lose it, 'hold' to park it until releaseHeld(); undefined: no opinion. */
export type Verdict = 'deliver' | 'drop' | 'hold' | undefined
export type Filter = (m: Message) => Verdict

export interface ClusterOptions {
  readonly seed?: number
  readonly learners?: readonly NodeId[]
  readonly options?: Options
  /** Preloaded storages (e.g. the logs of Figure 7); others start empty with the cluster's conf. */
  readonly storages?: Readonly<Record<NodeId, MemoryStorage>>
}

export class Cluster {
  readonly peers = new Map<NodeId, Peer>()
  /** Messages sent and not yet delivered. */
  queue: Message[] = []
  /** Messages parked by a 'hold' verdict. */
  held: Message[] = []
  /** Every message any node sent, in order: tests count round trips here. */
  readonly sent: Message[] = []
  readonly conf: ConfState
  readonly seed: number
  private filters: Filter[] = []
  private observers: Array<(m: Message) => void> = []

  constructor(voters: readonly NodeId[], private readonly opts: ClusterOptions = {}) {
    this.seed = opts.seed ?? 1
    this.conf = { voters: [...voters], learners: [...(opts.learners ?? [])] }
    for (const id of [...voters, ...(opts.learners ?? [])]) {
      this.addPeer(id, opts.storages?.[id] ?? new MemoryStorage(this.conf))
    }
  }

  /** A node joining later starts from the cluster's initial conf, as etcd's tests do. */
  addPeer(id: NodeId, storage: MemoryStorage = new MemoryStorage(this.conf), options?: Options): Peer {
    const p = new Peer(id, storage, options ?? this.opts.options ?? PAPER, this.seed)
    this.peers.set(id, p)
    return p
  }

  peer(id: NodeId): Peer {
    const p = this.peers.get(id)
    if (p === undefined) throw new Error(`no peer ${id}`)
    return p
  }

  // ---- the network -------------------------------------------------------------

  /** Adds a filter; returns a function removing it. The first filter with an opinion decides. */
  filter(f: Filter): () => void {
    this.filters.push(f)
    return () => {
      this.filters = this.filters.filter((g) => g !== f)
    }
  }

  /** Cuts every link of `id`. */
  isolate(id: NodeId): () => void {
    return this.filter((m) => (m.from === id || m.to === id) && m.from !== m.to ? 'drop' : undefined)
  }

  cut(a: NodeId, b: NodeId): () => void {
    return this.filter((m) => ((m.from === a && m.to === b) || (m.from === b && m.to === a) ? 'drop' : undefined))
  }

  dropType(...types: MessageType[]): () => void {
    return this.filter((m) => (types.includes(m.type) ? 'drop' : undefined))
  }

  heal(): void {
    this.filters = []
  }

  /** Called with every message as it is sent (before any filter). */
  observe(fn: (m: Message) => void): void {
    this.observers.push(fn)
  }

  releaseHeld(pred: (m: Message) => boolean = () => true): void {
    this.queue.push(...this.held.filter(pred))
    this.held = this.held.filter((m) => !pred(m))
  }

  discardHeld(): void {
    this.held = []
  }

  // ---- driving -----------------------------------------------------------------

  /** Runs the driver loop of the given nodes (all up nodes by default), queueing what they send. */
  process(...only: NodeId[]): void {
    for (const p of this.peers.values()) {
      if (!p.up || (only.length > 0 && !only.includes(p.id))) continue
      for (const m of p.drain()) {
        this.sent.push(m)
        for (const o of this.observers) o(m)
        this.queue.push(m)
      }
    }
  }

  /** Delivers the queued messages that match `pred` (all by default); the rest stay queued. Returns how many were stepped. */
  deliver(pred: (m: Message) => boolean = () => true): number {
    const now = this.queue.filter(pred)
    this.queue = this.queue.filter((m) => !pred(m))
    let n = 0
    for (const m of now) {
      const verdict = this.filters.map((f) => f(m)).find((v) => v !== undefined) ?? 'deliver'
      if (verdict === 'hold') this.held.push(m)
      const to = this.peers.get(m.to)
      if (verdict !== 'deliver' || to === undefined || !to.up) continue
      to.node.step(m)
      n++
    }
    return n
  }

  /** process + deliver until nobody has anything to say. */
  stabilize(limit = 10_000): void {
    for (let i = 0; i < limit; i++) {
      this.process()
      if (this.queue.length === 0) return
      this.deliver()
    }
    throw new Error(`network did not stabilize in ${limit} rounds`)
  }

  /** Ticks one node n times, without delivering anything. */
  tick(id: NodeId, n = 1): void {
    for (let i = 0; i < n; i++) this.peer(id).node.tick()
  }

  /** n rounds of: tick every up node once, then stabilize. */
  tickAll(n = 1): void {
    for (let i = 0; i < n; i++) {
      for (const p of this.peers.values()) if (p.up) p.node.tick()
      this.stabilize()
    }
  }

  /** Ticks (all up nodes, stabilizing) until pred holds; returns the ticks it took, or -1 after `max`. */
  tickUntil(pred: () => boolean, max: number): number {
    for (let i = 1; i <= max; i++) {
      this.tickAll()
      if (pred()) return i
    }
    return -1
  }

  /** Campaigns `id` and stabilizes, retrying (a lost election bumps the term) up to `attempts` times. */
  elect(id: NodeId, attempts = 4): Peer {
    const p = this.peer(id)
    for (let i = 0; i < attempts && p.role !== 'leader'; i++) {
      p.node.campaign()
      this.stabilize()
    }
    return p
  }

  /** Proposes on `id` and stabilizes; throws if refused (tests of refusals call node.propose directly). */
  propose(id: NodeId, data: string): { index: number; term: number } {
    const r = this.peer(id).node.propose(bytes(data))
    if (!r.ok) throw new Error(`proposal refused: ${r.reason}`)
    this.stabilize()
    return { index: r.index, term: r.term }
  }

  crash(id: NodeId): void {
    this.peer(id).up = false
    this.queue = this.queue.filter((m) => m.to !== id)
  }

  restart(id: NodeId): Peer {
    const p = this.peer(id)
    p.restart()
    return p
  }

  /** The up node that believes it leads in the highest term, if any. */
  leader(): Peer | undefined {
    let best: Peer | undefined
    for (const p of this.peers.values()) {
      if (p.up && p.role === 'leader' && (best === undefined || p.term > best.term)) best = p
    }
    return best
  }

  /** Messages sent so far matching the type (and predicate). */
  sentOf<T extends MessageType>(type: T, pred: (m: MessageOf<T>) => boolean = () => true): Array<MessageOf<T>> {
    return this.sent.filter((m): m is MessageOf<T> => m.type === type && pred(m as MessageOf<T>))
  }
}

/** One node alone, driven by hand: the shape of etcd's raft_paper_test.go unit tests. */
export class Solo {
  readonly peer: Peer

  constructor(id: NodeId, storage: MemoryStorage, options: Options = PAPER, seed = 1) {
    this.peer = new Peer(id, storage, options, seed)
  }

  get node(): RawNode {
    return this.peer.node
  }

  /** Steps the messages, then drains: returns what the node sent. */
  step(...ms: Message[]): Message[] {
    for (const m of ms) this.peer.node.step(m)
    return this.peer.drain()
  }

  drain(): Message[] {
    return this.peer.drain()
  }

  status(): RaftStatus {
    return this.peer.node.status()
  }
}

export { app, appResp, heartbeat, ofType, seeds, voteReq, voteResp } from './messages.js'

export { MemoryStorage }

export const ABC: ConfState = { voters: ['a', 'b', 'c'], learners: [] }
export const ABCDE: ConfState = { voters: ['a', 'b', 'c', 'd', 'e'], learners: [] }

/** tap's test object, for helpers that assert inside a scenario. */
export type TapTest = Test<BuiltPlugins, TestOpts> & BuiltPlugins
