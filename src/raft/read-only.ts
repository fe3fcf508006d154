// ReadIndex bookkeeping on the leader (Raft thesis §6.4; model: etcd-io/raft read_only.go, "safe" option).
// Each request records the commit index at the time it arrived; a heartbeat round carrying its context
// confirms leadership once a quorum acknowledges, which also confirms every request queued before it.
import type { NodeId } from './types.js'

export interface ReadRequest {
  /** Who asked: the leader itself, or a follower/learner that forwarded it. */
  readonly from: NodeId
  readonly context: Uint8Array
}

export interface PendingRead extends ReadRequest {
  /** The leader's commit index when the request arrived: the index the read must wait for. */
  readonly index: number
}

interface Status {
  readonly req: PendingRead
  readonly acks: Map<NodeId, boolean>
}

/** A stable map key for a context (hex). */
export function contextKey(context: Uint8Array): string {
  let s = ''
  for (const b of context) s += (b < 16 ? '0' : '') + b.toString(16)
  return s
}

export class ReadOnly {
  private readonly pending = new Map<string, Status>()
  private queue: string[] = []

  get size(): number {
    return this.queue.length
  }

  /** Records a request; a duplicate context is ignored (the first one's index stands). */
  addRequest(index: number, req: ReadRequest): void {
    const key = contextKey(req.context)
    if (this.pending.has(key)) return
    this.pending.set(key, { req: { ...req, index }, acks: new Map() })
    this.queue.push(key)
  }

  /** Records that id acknowledged the heartbeat carrying context; returns the acks so far (undefined if unknown). */
  recvAck(id: NodeId, context: Uint8Array): ReadonlyMap<NodeId, boolean> | undefined {
    const st = this.pending.get(contextKey(context))
    if (st === undefined) return undefined
    st.acks.set(id, true)
    return st.acks
  }

  /** Removes and returns the requests confirmed by context's quorum: it and every request queued before it. */
  advance(context: Uint8Array): PendingRead[] {
    const key = contextKey(context)
    const at = this.queue.indexOf(key)
    if (at < 0) return []
    const done = this.queue.slice(0, at + 1)
    this.queue = this.queue.slice(at + 1)
    const out: PendingRead[] = []
    for (const k of done) {
      const st = this.pending.get(k)
      this.pending.delete(k)
      if (st !== undefined) out.push(st.req)
    }
    return out
  }

  /** The context of the newest pending request: periodic heartbeats carry it to confirm the whole queue. */
  lastPendingContext(): Uint8Array | undefined {
    const key = this.queue[this.queue.length - 1]
    return key === undefined ? undefined : this.pending.get(key)?.req.context
  }

  reset(): void {
    this.pending.clear()
    this.queue = []
  }
}
