import type { NodeId } from '../../types.js'

interface Holder {
  readonly node: NodeId
  /** Hash of the log from index 1 through this entry. */
  readonly chain: number
  /** Hash of this entry alone. */
  readonly entry: number
}

/**
 * Raft §5.3 Log Matching: if two logs contain an entry with the same index and term, the entry is the same
 * and the logs are identical in all preceding entries. Checked incrementally: every entry a node persists
 * is compared with the first holder of the same (index, term), through hashes of the entry and of the prefix.
 */
export class LogMatching {
  readonly #first = new Map<string, Holder>()

  entryHeld(node: NodeId, index: number, term: number, chain: number, entry: number): string | undefined {
    const key = `${index}/${term}`
    const prior = this.#first.get(key)
    if (prior === undefined) {
      this.#first.set(key, { node, chain, entry })
      return undefined
    }
    if (prior.entry !== entry) {
      return `${prior.node} and ${node} hold different entries at index ${index} term ${term}`
    }
    if (prior.chain !== chain) {
      return `${prior.node} and ${node} hold the same entry at index ${index} term ${term} but their logs differ before it`
    }
    return undefined
  }
}
