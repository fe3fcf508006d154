// What every sync function uses: the applied state to read, one way to write, and the leader's
// clock, randomness and liveness table. The manager provides it; tests can provide a fake.
import type { Logger } from 'pino'
import type { DeleteOp, PutOp } from '../state/commands.js'
import type { ObjectStore, StoredObject } from '../state/store.js'
import type { LivenessTable } from './liveness.js'

export interface ControllerContext {
  readonly store: ObjectStore
  /** Commits the ops as one Raft entry from the leader; throws WriteConflictError when a precondition failed. */
  write(ops: readonly (PutOp | DeleteOp)[], why: string): Promise<void>
  now(): Date
  newUid(): string
  randomBytes(n: number): Uint8Array
  /** The applied index: seeds the scheduler so that a placement can be replayed. */
  appliedIndex(): number
  readonly liveness: LivenessTable
  readonly graceMs: number
  readonly log: Logger
}

/** A put of the stored object with a new body, only if nobody changed it since it was read. */
export function replaceOp(o: StoredObject, object: Record<string, unknown>): PutOp {
  return { op: 'put', kind: o.kind, namespace: o.namespace, name: o.name, object, uid: o.uid, ifVersion: o.resourceVersion }
}

export function deleteOp(o: StoredObject): DeleteOp {
  return { op: 'delete', kind: o.kind, namespace: o.namespace, name: o.name, ifVersion: o.resourceVersion }
}
