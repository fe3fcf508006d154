// The driver's handle on the core (model: etcd-io/raft rawnode.go). Inputs: tick, step, propose, ...;
// output: Ready batches. What a Ready hands out is marked in progress at once (a second ready() before
// advance() does not repeat it); advance() then acknowledges everything handed out since the last advance().
import type { RaftConfig, RaftNodeApi, RaftStatus, ProgressStatus } from './api.js'
import { applyConfEntry } from './apply-conf.js'
import { hup } from './election.js'
import { handleOwnPersisted } from './leader-responses.js'
import { newRaft } from './new-raft.js'
import { propose, proposeConfChange } from './propose.js'
import type { Raft } from './raft.js'
import { readIndex } from './read-index.js'
import { bcastAppend } from './replication.js'
import { step } from './step.js'
import { transferLeadership } from './transfer.js'
import type {
  ConfChange, Entry, HardState, Message, NodeId, ProposalResult, RaftCounters, Ready, RequestResult, SoftState,
} from './types.js'

interface Accepted {
  lastEntry: { index: number; term: number } | undefined
  snapshotIndex: number | undefined
  committed: Entry[]
}

const noneAccepted = (): Accepted => ({ lastEntry: undefined, snapshotIndex: undefined, committed: [] })

function softState(r: Raft): SoftState {
  return { leader: r.lead, role: r.role }
}

function hardState(r: Raft): HardState {
  return { term: r.term, vote: r.vote, commit: r.log.committed }
}

const sameSoft = (a: SoftState, b: SoftState): boolean => a.leader === b.leader && a.role === b.role
const sameHard = (a: HardState, b: HardState): boolean => a.term === b.term && a.vote === b.vote && a.commit === b.commit

export class RawNode implements RaftNodeApi {
  private readonly r: Raft
  private prevSoft: SoftState
  private prevHard: HardState
  private accepted: Accepted = noneAccepted()

  constructor(cfg: RaftConfig) {
    this.r = newRaft(cfg)
    this.prevSoft = softState(this.r)
    this.prevHard = hardState(this.r)
  }

  get counters(): RaftCounters {
    return this.r.counters
  }

  tick(): void {
    this.r.tickFn(this.r)
  }

  step(m: Message): void {
    step(this.r, m)
  }

  propose(data: Uint8Array): ProposalResult {
    return propose(this.r, data)
  }

  proposeConfChange(cc: ConfChange): ProposalResult {
    return proposeConfChange(this.r, cc)
  }

  readIndex(context: Uint8Array): RequestResult {
    return readIndex(this.r, context)
  }

  transferLeadership(to: NodeId): RequestResult {
    return transferLeadership(this.r, to)
  }

  campaign(): void {
    hup(this.r, false)
  }

  reportUnreachable(id: NodeId): void {
    const pr = this.r.role === 'leader' ? this.r.progress.get(id) : undefined
    if (pr === undefined || id === this.r.id) return
    if (pr.state === 'replicate') pr.becomeProbe()
    else if (pr.state === 'snapshot') pr.abortSnapshot()
  }

  hasReady(): boolean {
    const r = this.r
    const u = r.log.unstable
    return (
      !sameSoft(softState(r), this.prevSoft) ||
      !sameHard(hardState(r), this.prevHard) ||
      u.nextSnapshot() !== undefined ||
      u.offsetInProgress < u.offset + u.entries.length ||
      r.msgs.length > 0 ||
      r.appendsPending ||
      r.readStates.length > 0 ||
      r.log.hasNextCommittedEnts()
    )
  }

  ready(): Ready {
    const r = this.r
    if (r.appendsPending) {
      r.appendsPending = false
      if (r.role === 'leader') bcastAppend(r)
    }
    const soft = softState(r)
    const hard = hardState(r)
    const entries = r.log.unstable.nextEntries()
    const snapshot = r.log.unstable.nextSnapshot()
    const committedEntries = r.log.nextCommittedEnts(r.cfg.maxCommittedSizePerReady)
    const rd: Ready = {
      softState: sameSoft(soft, this.prevSoft) ? undefined : soft,
      hardState: sameHard(hard, this.prevHard) ? undefined : hard,
      entries,
      snapshot,
      committedEntries,
      messages: r.msgs,
      readStates: r.readStates,
      // Term and vote must be durable before any message that depends on them leaves; commit need not be.
      mustSync: entries.length > 0 || snapshot !== undefined || hard.term !== this.prevHard.term || hard.vote !== this.prevHard.vote,
    }
    this.accept(rd)
    this.prevSoft = soft
    this.prevHard = hard
    return rd
  }

  private accept(rd: Ready): void {
    const r = this.r
    r.msgs = []
    r.readStates = []
    r.log.unstable.acceptInProgress()
    const last = rd.entries[rd.entries.length - 1]
    if (last !== undefined) this.accepted.lastEntry = { index: last.index, term: last.term }
    if (rd.snapshot !== undefined) this.accepted.snapshotIndex = rd.snapshot.metadata.index
    const lastCommitted = rd.committedEntries[rd.committedEntries.length - 1]
    if (lastCommitted !== undefined) {
      r.log.acceptApplying(lastCommitted.index)
      for (const e of rd.committedEntries) this.accepted.committed.push(e)
    }
  }

  advance(): void {
    const r = this.r
    const acc = this.accepted
    this.accepted = noneAccepted()
    if (acc.snapshotIndex !== undefined) {
      r.log.stableSnapTo(acc.snapshotIndex)
      r.log.appliedTo(acc.snapshotIndex)
    }
    if (acc.lastEntry !== undefined) r.log.stableTo(acc.lastEntry.index, acc.lastEntry.term)
    if (r.role === 'leader') handleOwnPersisted(r)
    for (const e of acc.committed) {
      if (e.type === 'conf') applyConfEntry(r, e)
      r.log.appliedTo(e.index)
    }
  }

  status(): RaftStatus {
    const r = this.r
    let progress: Map<NodeId, ProgressStatus> | undefined
    if (r.role === 'leader') {
      progress = new Map()
      for (const [id, pr] of r.progress) progress.set(id, pr.status())
    }
    return {
      id: r.id,
      term: r.term,
      vote: r.vote,
      commit: r.log.committed,
      applied: r.log.applied,
      lastIndex: r.log.lastIndex(),
      leader: r.lead,
      role: r.role,
      conf: r.conf,
      progress,
      leadTransferee: r.leadTransferee,
    }
  }
}
