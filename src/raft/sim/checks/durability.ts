import type { NodeId } from '../../types.js'

interface Ack {
  readonly term: number
  readonly payload: string
  readonly node: NodeId
}

/**
 * No acknowledged proposal is ever lost: once a client was told "committed" for (index, term, payload),
 * every node applies that payload at that index, and every survivor's final state contains it.
 */
export class Durability {
  readonly #acked = new Map<number, Ack>()
  #maxAckIndex = 0

  get count(): number {
    return this.#acked.size
  }

  /** Every proposal acknowledged so far has an index at or below this. */
  get maxAckIndex(): number {
    return this.#maxAckIndex
  }

  acknowledged(node: NodeId, index: number, term: number, payload: string): string | undefined {
    const prior = this.#acked.get(index)
    if (prior !== undefined && (prior.term !== term || prior.payload !== payload)) {
      return `index ${index} acknowledged twice: '${prior.payload}' (term ${prior.term}, by ${prior.node}) and '${payload}' (term ${term}, by ${node})`
    }
    this.#acked.set(index, { term, payload, node })
    this.#maxAckIndex = Math.max(this.#maxAckIndex, index)
    return undefined
  }

  /** A node applied `payload` (undefined for no-ops and conf changes) at (index, term). */
  applied(node: NodeId, index: number, term: number, payload: string | undefined): string | undefined {
    const ack = this.#acked.get(index)
    if (ack === undefined || (ack.term === term && ack.payload === payload)) return undefined
    return `acknowledged proposal lost: '${ack.payload}' was acknowledged at index ${index} term ${ack.term} by ${ack.node}, but ${node} applied ${payload === undefined ? 'another entry' : `'${payload}'`} (term ${term}) there`
  }

  /** A survivor's final state: every acknowledged payload must be in it. */
  survivor(node: NodeId, has: (payload: string) => boolean): string | undefined {
    for (const [index, ack] of this.#acked) {
      if (!has(ack.payload)) {
        return `acknowledged proposal lost: '${ack.payload}' (index ${index} term ${ack.term}) is missing from survivor ${node}`
      }
    }
    return undefined
  }
}
