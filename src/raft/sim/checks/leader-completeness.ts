import type { NodeId } from '../../types.js'

/** What a new leader holds at the moment it is elected. */
export interface LogView {
  /** Entries at or below this index are covered by the node's snapshot. */
  readonly snapshotIndex: number
  readonly lastIndex: number
  /** The term of the entry at i (snapshotIndex < i <= lastIndex), undefined when not held. */
  termAt(i: number): number | undefined
}

/**
 * Raft §5.4.1 Leader Completeness: an entry committed in term T is in the log of every leader of a term > T.
 *
 * The simulator does not see in which term an index was committed, only when a node applies it. A node
 * applying index i while its current term is u learned of the commit from a leader of term <= u, so i was
 * committed in a term <= u: `bound[i]` keeps the smallest such u. Committing index j also commits every
 * index below it, so a leader of term T must hold the highest j with bound[j] < T, and with it (by Log
 * Matching) everything before it.
 */
export class LeaderCompleteness {
  readonly #bound: number[] = []
  readonly #term: number[] = []

  /** Some node applied (index, entryTerm) while its current term was nodeTerm. */
  committed(index: number, entryTerm: number, nodeTerm: number): void {
    const prior = this.#bound[index]
    this.#bound[index] = prior === undefined ? nodeTerm : Math.min(prior, nodeTerm)
    this.#term[index] = entryTerm
  }

  leaderElected(node: NodeId, term: number, log: LogView): string | undefined {
    for (let j = this.#bound.length - 1; j > 0; j--) {
      const bound = this.#bound[j]
      if (bound === undefined || bound >= term) continue
      if (j <= log.snapshotIndex) return undefined
      const want = this.#term[j] as number
      const held = j <= log.lastIndex ? log.termAt(j) : undefined
      if (held === want) return undefined
      return `${node} became leader of term ${term} without index ${j} (term ${want}), committed in term <= ${bound}; its log ends at ${log.lastIndex}${held === undefined ? '' : ` and holds term ${held} at ${j}`}`
    }
    return undefined
  }
}
