import type { NodeId } from '../../types.js'

/** Raft §5.2 Election Safety: at most one leader can be elected in a given term. */
export class ElectionSafety {
  readonly #leaders = new Map<number, NodeId>()

  /** Returns a description of the violation, if this election breaks the property. */
  leaderElected(node: NodeId, term: number): string | undefined {
    const prior = this.#leaders.get(term)
    if (prior === undefined) {
      this.#leaders.set(term, node)
      return undefined
    }
    if (prior === node) return `${node} became leader of term ${term} twice`
    return `two leaders in term ${term}: ${prior} and ${node}`
  }

  leaderOf(term: number): NodeId | undefined {
    return this.#leaders.get(term)
  }
}
