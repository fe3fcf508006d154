import type { Entry, NodeId } from '../../types.js'
import { chainHash, EMPTY_CHAIN } from '../hash.js'

interface Applied {
  readonly term: number
  readonly chain: number
  readonly node: NodeId
}

type AppliedEntry = Pick<Entry, 'index' | 'term' | 'type' | 'data'>

/**
 * Raft §5.4.3 State Machine Safety: every node applies the same entry at each index, each index once and in
 * order. The first application of each index defines the one global sequence; every node's applied sequence
 * (restored from snapshots or applied entry by entry) must be a prefix of it.
 */
export class StateMachineSafety {
  /** The global sequence, by index (slot 0 unused). */
  readonly #seq: Applied[] = []
  readonly #nodes = new Map<NodeId, { index: number; chain: number }>()

  get lastIndex(): number {
    return Math.max(0, this.#seq.length - 1)
  }

  termAt(index: number): number | undefined {
    return this.#seq[index]?.term
  }

  chainAt(index: number): number | undefined {
    return index === 0 ? EMPTY_CHAIN : this.#seq[index]?.chain
  }

  appliedIndex(node: NodeId): number {
    return this.#nodes.get(node)?.index ?? 0
  }

  applied(node: NodeId, e: AppliedEntry): string | undefined {
    const mine = this.#nodes.get(node) ?? { index: 0, chain: EMPTY_CHAIN }
    if (e.index !== mine.index + 1) {
      return `${node} applied index ${e.index} after index ${mine.index} (expected ${mine.index + 1})`
    }
    const chain = chainHash(mine.chain, e)
    this.#nodes.set(node, { index: e.index, chain })
    const first = this.#seq[e.index]
    if (first === undefined) {
      this.#seq[e.index] = { term: e.term, chain, node }
      return undefined
    }
    if (first.term !== e.term || first.chain !== chain) {
      return `${node} applied index ${e.index} term ${e.term}, but ${first.node} applied index ${e.index} term ${first.term} with a different history`
    }
    return undefined
  }

  /** The node's state machine now holds the sequence through `index`, whose chained hash is `chain` (a snapshot, or a restart). */
  restored(node: NodeId, index: number, chain: number): string | undefined {
    const mine = this.#nodes.get(node)
    if (mine !== undefined && index < mine.index) {
      return `${node} restored a snapshot at index ${index} below its applied index ${mine.index}`
    }
    this.#nodes.set(node, { index, chain })
    const expected = this.chainAt(index)
    if (expected === undefined) return `${node} restored a snapshot at index ${index}, beyond anything ever applied`
    if (expected !== chain) return `${node} restored a snapshot at index ${index} whose history differs from the applied sequence`
    return undefined
  }

  /** The node lost its volatile state (crash); it is restored from its snapshot on restart. */
  forget(node: NodeId): void {
    this.#nodes.delete(node)
  }
}
