// The state of one Raft node. Behaviour lives in role files (become-*.ts) and step handlers; this class
// holds the fields they share and the small helpers every role uses. Pure: no clock, no I/O, no Math.random.
import type { RaftEvent } from './api.js'
import { isMember, isVoter } from './conf-change.js'
import type { ResolvedConfig } from './config.js'
import type { Progress } from './progress.js'
import { committedIndex, isQuorum } from './quorum.js'
import { randInt } from './rand.js'
import { RaftLog } from './raft-log.js'
import { ReadOnly, type PendingRead, type ReadRequest } from './read-only.js'
import type { SnapshotAssembly } from './snapshot-assembly.js'
import { NONE, type ConfState, type Message, type NodeId, type RaftCounters, type ReadState, type Role } from './types.js'

export type TickFn = (r: Raft) => void
export type StepFn = (r: Raft, m: Message) => void

export class Raft {
  readonly id: NodeId
  readonly cfg: ResolvedConfig
  readonly log: RaftLog
  readonly counters: RaftCounters = { droppedUnknownNode: 0, droppedStaleTerm: 0, droppedInvalid: 0 }

  term = 0
  vote: NodeId = NONE
  lead: NodeId = NONE
  role: Role = 'follower'
  conf: ConfState
  /** Index of the conf entry (or snapshot) that produced conf. */
  confIndex = 0

  /** Leader only: replication progress of every member, itself included. */
  progress = new Map<NodeId, Progress>()
  /** Candidate and pre-candidate: answers received. */
  votes = new Map<NodeId, boolean>()
  msgs: Message[] = []
  readStates: ReadState[] = []

  electionElapsed = 0
  heartbeatElapsed = 0
  randomizedElectionTimeout: number
  leadTransferee: NodeId = NONE
  /** Leader: index of the latest conf entry that may be unapplied; no new change until applied reaches it. */
  pendingConfIndex = 0
  readonly readOnly = new ReadOnly()
  /**
   * Leader: proposals appended since the last Ready that followers have not been sent yet. Appends go out
   * once per Ready rather than once per proposal, so 64 concurrent proposals make one message per follower.
   */
  appendsPending = false
  /** Leader: reads waiting for the first commit of this term. */
  pendingReads: ReadRequest[] = []
  /** Follower: a snapshot being received in chunks. */
  snapshotAssembly: SnapshotAssembly | undefined = undefined

  tickFn: TickFn
  stepFn: StepFn

  constructor(cfg: ResolvedConfig, conf: ConfState, tickFn: TickFn, stepFn: StepFn) {
    this.id = cfg.id
    this.cfg = cfg
    this.log = new RaftLog(cfg.storage)
    this.conf = conf
    this.tickFn = tickFn
    this.stepFn = stepFn
    this.randomizedElectionTimeout = cfg.electionTick
  }

  send(m: Message): void {
    this.msgs.push(m)
  }

  emit(event: RaftEvent): void {
    this.cfg.onEvent(event)
  }

  /** Only voters campaign; learners and nodes not (yet) in the configuration never do. */
  promotable(): boolean {
    return isVoter(this.conf, this.id)
  }

  isMember(id: NodeId): boolean {
    return isMember(this.conf, id)
  }

  /** Common state reset on every role change (etcd's raft.reset). */
  reset(term: number): void {
    if (this.term !== term) {
      this.term = term
      this.vote = NONE
    }
    this.lead = NONE
    this.electionElapsed = 0
    this.heartbeatElapsed = 0
    this.resetRandomizedElectionTimeout()
    this.leadTransferee = NONE
    this.votes.clear()
    this.progress = new Map()
    this.pendingConfIndex = 0
    this.readOnly.reset()
    this.pendingReads = []
    this.snapshotAssembly = undefined
  }

  /** Random in [electionTick, 2*electionTick) so that split votes resolve (§5.2). */
  resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout = randInt(this.cfg.rand, this.cfg.electionTick, 2 * this.cfg.electionTick)
  }

  /** Heard from a leader within the (non-randomized) election timeout: the leader lease. */
  inLeaderLease(): boolean {
    return this.lead !== NONE && this.electionElapsed < this.cfg.electionTick
  }

  committedEntryInCurrentTerm(): boolean {
    return this.log.term(this.log.committed) === this.term
  }

  /** Leader: commit what a majority of voters hold, counting only entries of this term (Figure 8). */
  maybeCommit(): boolean {
    const mci = committedIndex(this.conf.voters, (id) => this.progress.get(id)?.match)
    return this.log.maybeCommit(mci, this.term)
  }

  /** Leader: whether a majority of voters was heard from in the last election timeout. */
  quorumActive(): boolean {
    return isQuorum(this.conf.voters, (id) => id === this.id || this.progress.get(id)?.recentActive === true)
  }

  /** Hands a confirmed read to whoever asked: a ReadState here, or a readIndexResp to the follower. */
  respondRead(read: PendingRead): void {
    if (read.from === this.id || read.from === NONE) {
      this.readStates.push({ index: read.index, context: read.context })
    } else {
      this.send({ type: 'readIndexResp', from: this.id, to: read.from, term: this.term, index: read.index, context: read.context })
    }
  }
}
