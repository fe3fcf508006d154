import type { NodeId } from './types.js'

/** This node is not the leader; `leader` is the best known leader ('' when unknown). Retry there. */
export class NotLeaderError extends Error {
  static override name = 'NotLeaderError'
  override name = 'NotLeaderError'
  constructor(readonly leader: NodeId) {
    super(leader ? `not the leader; the leader is ${leader}` : 'not the leader; no leader is known')
  }
}

/** The leader refused the proposal for now: it is transferring leadership, or a configuration change is pending. */
export class ProposalRejectedError extends Error {
  static override name = 'ProposalRejectedError'
  override name = 'ProposalRejectedError'
  constructor(
    readonly reason: 'transferring' | 'confChangePending' | 'invalidConfChange' | 'noLeader' | 'notVoter' | 'unknownNode',
    readonly leader: NodeId,
  ) {
    super(`proposal rejected: ${reason}`)
  }
}

/** The entry was lost: another entry (another term) was applied at its index. Safe to retry. */
export class ProposalDroppedError extends Error {
  static override name = 'ProposalDroppedError'
  override name = 'ProposalDroppedError'
  constructor(
    readonly index: number,
    readonly term: number,
  ) {
    super(`proposal ${index}@${term} was dropped: another entry was committed at index ${index}`)
  }
}

/** A snapshot replaced the log over the proposal's index: it may or may not have been applied. */
export class ProposalOutcomeUnknownError extends Error {
  static override name = 'ProposalOutcomeUnknownError'
  override name = 'ProposalOutcomeUnknownError'
  constructor(readonly index: number) {
    super(`the outcome of proposal ${index} is unknown: a snapshot replaced the log`)
  }
}

/** The leader changed before the read was confirmed. Retry. */
export class ReadIndexLostError extends Error {
  static override name = 'ReadIndexLostError'
  override name = 'ReadIndexLostError'
  constructor() {
    super('the leader changed before the read was confirmed')
  }
}

/** The driver stopped (or failed) before the request completed. */
export class DriverStoppedError extends Error {
  static override name = 'DriverStoppedError'
  override name = 'DriverStoppedError'
  constructor(readonly reason?: unknown) {
    super('the raft driver has stopped', { cause: reason })
  }
}

/** The proposal was not applied within the caller's timeoutMs. It may still commit. */
export class ProposalTimeoutError extends Error {
  static override name = 'ProposalTimeoutError'
  override name = 'ProposalTimeoutError'
  constructor(readonly index: number) {
    super(`proposal ${index} was not applied in time; it may still commit`)
  }
}

/** The caller's AbortSignal fired. The proposal may still commit. */
export class AbortedError extends Error {
  static override name = 'AbortedError'
  override name = 'AbortedError'
  constructor(readonly reason?: unknown) {
    super('aborted', { cause: reason })
  }
}
