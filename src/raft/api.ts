// The contract between the Raft core and everything around it (drivers, simulator, tests).
// The core implements RaftNodeApi in raw-node.ts (class RawNode) and MemoryStorageApi in memory-storage.ts.
import type { Rand } from './rand.js'
import type {
  ConfChange,
  ConfState,
  Entry,
  HardState,
  Message,
  NodeId,
  ProposalResult,
  RaftCounters,
  Ready,
  RequestResult,
  Role,
  Snapshot,
  Storage,
} from './types.js'

export interface RaftConfig {
  readonly id: NodeId
  readonly storage: Storage
  /** Seeded randomness (election timeouts). Never Math.random. */
  readonly rand: Rand
  /** Ticks without hearing from a leader before a follower campaigns; the actual timeout is random in [electionTick, 2*electionTick). Default 10. */
  readonly electionTick?: number
  /** Ticks between leader heartbeats. Default 1. Must be < electionTick. */
  readonly heartbeatTick?: number
  /** Default true. */
  readonly preVote?: boolean
  /** Default true. A leader steps down if it has not heard from a quorum within an election timeout; followers that heard from a leader within the timeout reject (pre-)votes. */
  readonly checkQuorum?: boolean
  /** Bytes of entries per append message. Default 1 MiB. */
  readonly maxSizePerMsg?: number
  /** Append messages in flight per follower while replicating. Default 256. */
  readonly maxInflightMsgs?: number
  /** Bytes of entries in flight per follower. Default 32 MiB. */
  readonly maxInflightBytes?: number
  /** Bytes of snapshot data per chunk. Default 512 KiB. */
  readonly maxSnapshotChunkBytes?: number
  /** Bytes of committed entries handed out per Ready. Default 64 MiB. */
  readonly maxCommittedSizePerReady?: number
  /** On restart: the last index the state machine has already applied. Default: the storage snapshot's index. */
  readonly applied?: number
  /** Receives one line per notable event (role and term changes, conf changes). Optional, pure. */
  readonly onEvent?: (event: RaftEvent) => void
}

export type RaftEvent =
  | { readonly type: 'becameFollower' | 'becameCandidate' | 'becamePreCandidate' | 'becameLeader'; readonly term: number; readonly leader: NodeId }
  | { readonly type: 'confChanged'; readonly index: number; readonly conf: ConfState; readonly change: ConfChange }
  | { readonly type: 'stepDown'; readonly term: number; readonly reason: 'checkQuorum' | 'higherTerm' | 'removed' }

export type ProgressState = 'probe' | 'replicate' | 'snapshot'

export interface ProgressStatus {
  readonly match: number
  readonly next: number
  readonly state: ProgressState
  readonly recentActive: boolean
  readonly isLearner: boolean
}

export interface RaftStatus {
  readonly id: NodeId
  readonly term: number
  readonly vote: NodeId
  readonly commit: number
  readonly applied: number
  readonly lastIndex: number
  readonly leader: NodeId
  readonly role: Role
  readonly conf: ConfState
  /** Leader only: replication progress per member (itself included). */
  readonly progress: ReadonlyMap<NodeId, ProgressStatus> | undefined
  /** Leader only: the node leadership is being transferred to, NONE otherwise. */
  readonly leadTransferee: NodeId
}

/**
 * The pure Raft state machine (model: etcd-io/raft's RawNode). No clocks, sockets, disks or Math.random.
 * Driving loop: feed tick()/step()/propose...; while hasReady(): rd = ready(); persist; send; apply; advance().
 */
export interface RaftNodeApi {
  tick(): void
  /** Never throws on bad input: stale, unknown or malformed messages are counted in `counters` and ignored. */
  step(m: Message): void
  propose(data: Uint8Array): ProposalResult
  /** One server at a time; refused while another change is unapplied or before the leader commits an entry of its term. */
  proposeConfChange(cc: ConfChange): ProposalResult
  /** Linearizable read: yields a ReadState with this context once leadership is confirmed (works on followers by forwarding). */
  readIndex(context: Uint8Array): RequestResult
  /** Leader only: catch the target up, then send it TimeoutNow. Proposals are refused until it completes or an election timeout passes. */
  transferLeadership(to: NodeId): RequestResult
  /** Starts an election now (tests, and a lone voter starting up). */
  campaign(): void
  /** The driver could not deliver to this node: the leader drops to probing it. */
  reportUnreachable(id: NodeId): void
  hasReady(): boolean
  ready(): Ready
  /** Acknowledges the last Ready: everything in it was persisted, sent and applied. */
  advance(): void
  status(): RaftStatus
  readonly counters: RaftCounters
}

/** The in-memory Storage the core reads from. Drivers append to it after persisting each Ready. */
export interface MemoryStorageApi extends Storage {
  setHardState(hs: HardState): void
  /** Appends, truncating any conflicting suffix (entries[0].index may be <= lastIndex()+1). */
  append(entries: readonly Entry[]): void
  /** Replaces the whole log with the snapshot (entries up to its index are discarded). */
  applySnapshot(snap: Snapshot): void
  /** Records a snapshot of the state machine at index (<= last applied); does not compact. */
  createSnapshot(index: number, conf: ConfState, data: Uint8Array): Snapshot
  /** Discards entries up to and including index (index <= snapshot index). */
  compact(index: number): void
}
