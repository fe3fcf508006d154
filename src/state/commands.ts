import type { MemberInfo } from './members.js'

// The commands carried by the Raft log's normal entries. Everything a command needs to be applied
// deterministically (uids, timestamps) is decided by its proposer and travels inside it.

export interface ObjectKey {
  readonly kind: string
  readonly namespace: string
  readonly name: string
}

export interface PutOp extends ObjectKey {
  readonly op: 'put'
  /** The object without its server-set metadata (uid, resourceVersion, generation, creationTimestamp). */
  readonly object: Record<string, unknown>
  /** A user's write (apply, PUT): the stored `status`, which controllers and agents own, is kept as it is. */
  readonly keepStatus?: boolean
  /** Compare-and-set: apply only if the stored object's resourceVersion is this (0: only if absent). */
  readonly ifVersion?: number
  /** Used if the object is created by this op. */
  readonly uid: string
}

export interface DeleteOp extends ObjectKey {
  readonly op: 'delete'
  readonly ifVersion?: number
}

/** Atomic: every op applies, or none does. */
export interface WriteCommand {
  readonly type: 'write'
  readonly ops: readonly (PutOp | DeleteOp)[]
  /** ISO time chosen by the proposer: creationTimestamp of created objects. */
  readonly time: string
}

/** A member announces (or updates) its name and addresses. Ignored for nodes that are not members. */
export interface MemberInfoCommand {
  readonly type: 'memberInfo'
  readonly id: string
  readonly info: MemberInfo
}

export type Command = WriteCommand | MemberInfoCommand
