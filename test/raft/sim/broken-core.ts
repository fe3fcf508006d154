// A deliberately broken "Raft" for proving that the simulator's end-to-end checks fire:
// every node declares itself leader of term 1 on its first tick, and (optionally) commits what it is given alone.
import type { MemoryStorageApi, RaftConfig, RaftNodeApi, RaftStatus } from '../../../src/raft/api.js'
import type { Core } from '../../../src/raft/sim/core.js'
import type { ConfChange, ConfState, Entry, HardState, Message, ProposalResult, Ready, RequestResult, Snapshot } from '../../../src/raft/types.js'
import { EMPTY_HARD_STATE } from '../../../src/raft/types.js'

class TinyStorage implements MemoryStorageApi {
  hs: HardState = EMPTY_HARD_STATE
  log: Entry[] = []
  snap: Snapshot
  constructor(conf: ConfState) {
    this.snap = { metadata: { index: 0, term: 0, conf }, data: new Uint8Array() }
  }
  initialState(): { hardState: HardState; conf: ConfState } {
    return { hardState: this.hs, conf: this.snap.metadata.conf }
  }
  entries(lo: number, hi: number): Entry[] {
    return this.log.filter((e) => e.index >= lo && e.index < hi)
  }
  term(i: number): number {
    return this.log.find((e) => e.index === i)?.term ?? 0
  }
  firstIndex(): number {
    return this.snap.metadata.index + 1
  }
  lastIndex(): number {
    return this.log[this.log.length - 1]?.index ?? this.snap.metadata.index
  }
  snapshot(): Snapshot {
    return this.snap
  }
  setHardState(hs: HardState): void {
    this.hs = hs
  }
  append(entries: readonly Entry[]): void {
    const first = entries[0]?.index ?? Infinity
    this.log = [...this.log.filter((e) => e.index < first), ...entries]
  }
  applySnapshot(snap: Snapshot): void {
    this.snap = snap
    this.log = []
  }
  createSnapshot(index: number, conf: ConfState, data: Uint8Array): Snapshot {
    this.snap = { metadata: { index, term: this.term(index), conf }, data }
    return this.snap
  }
  compact(index: number): void {
    this.log = this.log.filter((e) => e.index > index)
  }
}

/**
 * Every node leads alone: in term 1 (all the same term), or with `distinctTerms` in a term of its own (n3 leads
 * term 3). With `commitAlone`, it also commits and applies its own proposals at once.
 */
class LoneLeader implements RaftNodeApi {
  readonly counters = { droppedUnknownNode: 0, droppedStaleTerm: 0, droppedInvalid: 0 }
  #ticked = false
  #last: number
  #pending: Entry[] = []

  constructor(
    readonly cfg: RaftConfig,
    readonly commitAlone: boolean,
    readonly term: number,
    readonly members: string[],
  ) {
    this.#last = cfg.storage.lastIndex()
  }
  tick(): void {
    if (this.#ticked) return
    this.#ticked = true
    this.cfg.onEvent?.({ type: 'becameLeader', term: this.term, leader: this.cfg.id })
  }
  step(_m: Message): void {}
  propose(data: Uint8Array): ProposalResult {
    if (!this.#ticked) return { ok: false, reason: 'notLeader', leader: '' }
    const e: Entry = { index: ++this.#last, term: this.term, type: 'normal', data }
    if (this.commitAlone) this.#pending.push(e)
    return { ok: true, index: e.index, term: this.term }
  }
  proposeConfChange(cc: ConfChange): ProposalResult {
    if (!this.members.includes(cc.node)) this.members.push(cc.node)
    return { ok: true, index: this.#last, term: this.term }
  }
  readIndex(): RequestResult {
    return { ok: false, reason: 'noLeader', leader: '' }
  }
  transferLeadership(): RequestResult {
    return { ok: false, reason: 'notLeader', leader: '' }
  }
  campaign(): void {}
  reportUnreachable(): void {}
  hasReady(): boolean {
    return this.#pending.length > 0
  }
  ready(): Ready {
    const entries = this.#pending
    this.#pending = []
    const commit = entries[entries.length - 1]?.index ?? 0
    return { softState: undefined, hardState: { term: this.term, vote: this.cfg.id, commit }, entries, snapshot: undefined, committedEntries: entries, messages: [], readStates: [], mustSync: true }
  }
  advance(): void {}
  status(): RaftStatus {
    const conf = { voters: this.members, learners: [] }
    return { id: this.cfg.id, term: this.term, vote: this.cfg.id, commit: this.#last, applied: this.#last, lastIndex: this.#last, leader: this.cfg.id, role: 'leader', conf, progress: undefined, leadTransferee: '' }
  }
}

export function brokenCore(opts: { commitAlone: boolean; distinctTerms?: boolean }): Core {
  const members = ['n1']
  return {
    bootstrap: () => {},
    newNode: (cfg) => new LoneLeader(cfg, opts.commitAlone, opts.distinctTerms === true ? Number(cfg.id.slice(1)) : 1, members),
    newStorage: (conf) => new TinyStorage(conf ?? { voters: [], learners: [] }),
  }
}
