// Removing a pod that may be in a Service's endpoints, in two writes (docs/orchestration.md, "Taking a
// pod out of rotation before it stops"): a running pod is first marked terminating (deletionTimestamp =
// now + the drain delay), so every agent drops it from its endpoints while it still runs; it is deleted,
// and so stopped, once that time has passed. Any other pod is deleted at once. Rolling updates and scale
// downs (sync-deployment.ts), drains (sync-node.ts) and the collection of a deleted Deployment's pods all
// remove pods this way.
import type { DeleteOp, PutOp } from '../state/commands.js'
import type { StoredObject } from '../state/store.js'
import { deleteOp, replaceOp } from './context.js'
import { removalKind, type ReplicaView } from './deployment-plan.js'
import { replicaView } from './deployment-view.js'
import { metaOf } from './objects.js'

/** Marks a pod terminating: out of every Service's endpoints now, deleted (and stopped) at `deleteAt`. */
export function terminatingOp(p: StoredObject, deleteAt: number): PutOp {
  const metadata = { ...metaOf(p), deletionTimestamp: new Date(deleteAt).toISOString() }
  return replaceOp(p, { ...p.object, metadata })
}

/** The first step of removing `p`: marked terminating until `deleteAt` when it runs, else deleted. */
export function removalOp(p: StoredObject, deleteAt: number): PutOp | DeleteOp {
  return removalKind(replicaView(p)) === 'drain' ? terminatingOp(p, deleteAt) : deleteOp(p)
}

export interface RemovalPlan {
  /** Running pods to mark terminating. */
  readonly terminate: readonly string[]
  /** Pods to delete now: not running, or terminating and due. */
  readonly delete: readonly string[]
  /** When to look again (a termination falls due), ms since the epoch. */
  readonly wakeAt?: number
}

/**
 * Every one of `pods` is to go (their Deployment is gone). Example, drainMs 2000 at now = 10 000: a
 * running pod is marked terminating (wake at 12 000); a pending one is deleted; one terminating until
 * 9 000 is deleted; one terminating until 11 000 is left for now (wake at 11 000).
 */
export function planRemoval(pods: readonly ReplicaView[], now: number, drainMs: number): RemovalPlan {
  const terminate: string[] = []
  const del: string[] = []
  let wakeAt = Infinity
  for (const p of pods) {
    if (p.deleteAt !== undefined) {
      if (p.deleteAt <= now) del.push(p.name)
      else wakeAt = Math.min(wakeAt, p.deleteAt)
    } else if (removalKind(p) === 'drain') {
      terminate.push(p.name)
      wakeAt = Math.min(wakeAt, now + drainMs)
    } else del.push(p.name)
  }
  return { terminate, delete: del, ...(Number.isFinite(wakeAt) ? { wakeAt } : {}) }
}
