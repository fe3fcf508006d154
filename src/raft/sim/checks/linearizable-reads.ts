import type { NodeId } from '../../types.js'

interface PendingRead {
  readonly node: NodeId
  /** The highest index acknowledged to a client when the read was issued. */
  readonly mustSee: number
}

/**
 * Raft §6.4 linearizable reads, in a simple form: a read served at index i observes every proposal
 * acknowledged before the read was issued, so i must be at least the highest index acknowledged then.
 */
export class LinearizableReads {
  readonly #pending = new Map<string, PendingRead>()
  served = 0

  issued(context: string, node: NodeId, mustSee: number): void {
    this.#pending.set(context, { node, mustSee })
  }

  /** The node yielded a ReadState for this context: the read will be served once it has applied readIndex. */
  readState(node: NodeId, context: string, readIndex: number): string | undefined {
    const read = this.#pending.get(context)
    if (read === undefined || read.node !== node) return undefined
    this.#pending.delete(context)
    this.served++
    if (readIndex >= read.mustSee) return undefined
    return `stale read '${context}' on ${node}: served at index ${readIndex}, but index ${read.mustSee} was acknowledged before it was issued`
  }

  /** The node crashed or left: its pending reads are abandoned. */
  abandon(node: NodeId): void {
    for (const [ctx, read] of this.#pending) if (read.node === node) this.#pending.delete(ctx)
  }
}
