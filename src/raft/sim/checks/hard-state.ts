import type { HardState, NodeId } from '../../types.js'
import { NONE } from '../../types.js'

/**
 * Raft Figure 2, persistent state: a node's term never goes back, it votes at most once per term, and its
 * commit index never goes back nor passes the end of its log. Checked on every HardState a node persists;
 * a restart starts again from what its disk kept (an unsynced commit index may be lost legitimately).
 */
export class HardStateSafety {
  readonly #last = new Map<NodeId, HardState>()

  restarted(node: NodeId, hs: HardState): void {
    this.#last.set(node, hs)
  }

  persisted(node: NodeId, hs: HardState, lastIndex: number): string | undefined {
    const prev = this.#last.get(node)
    this.#last.set(node, hs)
    if (hs.commit > lastIndex) return `${node} persisted commit ${hs.commit} beyond its last index ${lastIndex}`
    if (prev === undefined) return undefined
    if (hs.term < prev.term) return `${node}'s term went back from ${prev.term} to ${hs.term}`
    if (hs.term === prev.term && prev.vote !== NONE && hs.vote !== prev.vote) {
      return `${node} voted twice in term ${hs.term}: for ${prev.vote}, then for ${hs.vote === NONE ? 'nobody' : hs.vote}`
    }
    if (hs.commit < prev.commit) return `${node}'s commit index went back from ${prev.commit} to ${hs.commit}`
    return undefined
  }
}
