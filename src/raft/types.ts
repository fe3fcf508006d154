// The vocabulary shared by the Raft core, its storage, its drivers and the simulator.
// Everything here is plain data: it crosses the wire and the disk encoded with msgpackr.

export type NodeId = string

/** Sentinel for "no node" (no vote cast, no known leader). */
export const NONE: NodeId = ''

export type EntryType = 'normal' | 'conf'

export interface Entry {
  readonly term: number
  readonly index: number
  readonly type: EntryType
  /** Application payload; for 'conf' entries, an encoded ConfChange (see encodeConfChange). Empty for the leader's no-op. */
  readonly data: Uint8Array
}

export interface HardState {
  readonly term: number
  readonly vote: NodeId
  readonly commit: number
}

export const EMPTY_HARD_STATE: HardState = { term: 0, vote: NONE, commit: 0 }

/** Membership. Changes are made one server at a time (Raft thesis §4.1), so there is never a joint configuration. */
export interface ConfState {
  readonly voters: readonly NodeId[]
  readonly learners: readonly NodeId[]
}

/** `context` is opaque to the core and carried in the entry (the agent puts the member's addresses there). */
export type ConfChange =
  /** Adds a voter, or promotes a learner. */
  | { readonly type: 'addVoter'; readonly node: NodeId; readonly context?: Uint8Array }
  /** Adds a learner, or demotes a voter. */
  | { readonly type: 'addLearner'; readonly node: NodeId; readonly context?: Uint8Array }
  | { readonly type: 'remove'; readonly node: NodeId; readonly context?: Uint8Array }

export interface SnapshotMetadata {
  readonly index: number
  readonly term: number
  readonly conf: ConfState
}

export interface Snapshot {
  readonly metadata: SnapshotMetadata
  readonly data: Uint8Array
}

export type Role = 'follower' | 'preCandidate' | 'candidate' | 'leader'

export interface SoftState {
  readonly leader: NodeId
  readonly role: Role
}

export interface ReadState {
  /** The commit index the read must wait for: serve the read once applied >= index. */
  readonly index: number
  /** The caller's context, echoed back to match the request. */
  readonly context: Uint8Array
}

// ---- Messages ----------------------------------------------------------------

interface Header {
  readonly from: NodeId
  readonly to: NodeId
  readonly term: number
}

/** A vote request. For a pre-vote, term is the term the candidate would campaign in; the sender's real term is unchanged. */
export interface VoteRequest extends Header {
  readonly type: 'preVote' | 'vote'
  readonly lastLogIndex: number
  readonly lastLogTerm: number
  /** Set when the campaign follows a leadership transfer (TimeoutNow): voters then ignore their leader lease. */
  readonly transfer: boolean
}

export interface VoteResponse extends Header {
  readonly type: 'preVoteResp' | 'voteResp'
  readonly reject: boolean
}

export interface AppendRequest extends Header {
  readonly type: 'app'
  readonly prevIndex: number
  readonly prevTerm: number
  readonly entries: readonly Entry[]
  readonly commit: number
}

export interface AppendResponse extends Header {
  readonly type: 'appResp'
  /** On success, the last index now matching the leader; on rejection, the prevIndex that was rejected. */
  readonly index: number
  readonly reject: boolean
  /** On rejection, fast backtracking hints: the follower's last index, or the first index of the conflicting term. */
  readonly hintIndex: number
  /** On rejection, the term of the follower's entry at hintIndex (0 if none). */
  readonly hintTerm: number
}

export interface Heartbeat extends Header {
  readonly type: 'heartbeat'
  /** min(leader commit, follower match): never ahead of what the follower is known to hold. */
  readonly commit: number
  /** Non-empty when the heartbeat confirms leadership for pending ReadIndex requests. */
  readonly context: Uint8Array
}

export interface HeartbeatResponse extends Header {
  readonly type: 'heartbeatResp'
  readonly context: Uint8Array
}

/** One chunk of a snapshot. Chunks are sent in order; the follower acknowledges each with snapResp. */
export interface SnapshotChunk extends Header {
  readonly type: 'snap'
  readonly metadata: SnapshotMetadata
  /** Byte offset of this chunk in the snapshot's data. */
  readonly offset: number
  readonly totalBytes: number
  readonly data: Uint8Array
}

export interface SnapshotChunkResponse extends Header {
  readonly type: 'snapResp'
  readonly snapshotIndex: number
  /** Bytes received so far (the next offset wanted). */
  readonly received: number
  readonly reject: boolean
}

export interface TimeoutNow extends Header {
  readonly type: 'timeoutNow'
}

/** A follower forwards a ReadIndex request to the leader; the leader answers with the index to wait for. */
export interface ReadIndexRequest extends Header {
  readonly type: 'readIndex'
  readonly context: Uint8Array
}

export interface ReadIndexResponse extends Header {
  readonly type: 'readIndexResp'
  readonly index: number
  readonly context: Uint8Array
}

export type Message =
  | VoteRequest
  | VoteResponse
  | AppendRequest
  | AppendResponse
  | Heartbeat
  | HeartbeatResponse
  | SnapshotChunk
  | SnapshotChunkResponse
  | TimeoutNow
  | ReadIndexRequest
  | ReadIndexResponse

export type MessageType = Message['type']

// ---- Ready -------------------------------------------------------------------

/**
 * What the core asks its driver to do, in this order:
 * 1. persist `snapshot` (if any), then `entries`, then `hardState` (if any) — durably (fsync) when `mustSync`;
 * 2. send `messages`;
 * 3. apply `snapshot` (if any) then `committedEntries` to the state machine, and serve `readStates` once applied;
 * 4. call advance().
 */
export interface Ready {
  readonly softState: SoftState | undefined
  readonly hardState: HardState | undefined
  readonly entries: readonly Entry[]
  readonly snapshot: Snapshot | undefined
  readonly committedEntries: readonly Entry[]
  readonly messages: readonly Message[]
  readonly readStates: readonly ReadState[]
  readonly mustSync: boolean
}

// ---- Results of the core's inputs -----------------------------------------------

export type ProposalRejection =
  /** This node is not the leader; leader is the best known leader, NONE when unknown. */
  | { readonly ok: false; readonly reason: 'notLeader'; readonly leader: NodeId }
  /** The leader is transferring leadership away and refuses proposals meanwhile. */
  | { readonly ok: false; readonly reason: 'transferring'; readonly leader: NodeId }
  /** A configuration change is still pending, or the leader has not committed an entry in its term yet. */
  | { readonly ok: false; readonly reason: 'confChangePending'; readonly leader: NodeId }
  /** The change would leave the configuration without a voter, or names an unknown node. */
  | { readonly ok: false; readonly reason: 'invalidConfChange'; readonly leader: NodeId }

/** Accepted: the proposal is entry (index, term). It is committed when an entry with this index AND term is applied; if the applied entry at index has another term, it was lost. */
export type ProposalResult = { readonly ok: true; readonly index: number; readonly term: number } | ProposalRejection

export type RequestResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'notLeader' | 'noLeader' | 'notVoter' | 'unknownNode'; readonly leader: NodeId }

// ---- Storage read by the core ---------------------------------------------------

/**
 * The stable storage as the core sees it: synchronous and in memory (see MemoryStorage).
 * Durable stores (LevelStorage) persist Ready batches and load into a MemoryStorage on start.
 */
export interface Storage {
  initialState(): { hardState: HardState; conf: ConfState }
  /** Entries in [lo, hi), at least one even when the first exceeds maxBytes. Throws CompactedError below firstIndex. */
  entries(lo: number, hi: number, maxBytes: number): Entry[]
  /** Term of entry i, valid for firstIndex()-1 <= i <= lastIndex(). Throws CompactedError or UnavailableError otherwise. */
  term(i: number): number
  firstIndex(): number
  lastIndex(): number
  snapshot(): Snapshot
}

/** Counters the core keeps of inputs it ignored; the driver exports them as metrics. */
export interface RaftCounters {
  /** Messages from nodes outside the configuration (responses only; requests from unknown nodes may be legitimate). */
  droppedUnknownNode: number
  /** Messages from an older term. */
  droppedStaleTerm: number
  /** Malformed or unexpected messages (wrong type for the role, impossible indexes). */
  droppedInvalid: number
}
