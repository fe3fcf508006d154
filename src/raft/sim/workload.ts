import type { Entry, NodeId, ProposalResult, ReadState } from '../types.js'
import { NONE } from '../types.js'
import type { Monitor } from './checks/monitor.js'
import type { Clock } from './clock.js'
import type { Rng } from './rng.js'
import type { SimNode } from './sim-node.js'
import type { Applied } from './state-machine.js'
import { encodePayload } from './state-machine.js'
import type { Trace } from './trace.js'
import { Check } from './violation.js'

interface Pending {
  readonly term: number
  readonly payload: string
  readonly step: number
}

export interface WorkloadStats {
  proposed: number
  rejected: number
  acknowledged: number
  reads: number
}

/** How the workload reaches the nodes. */
export interface NodeDirectory {
  node(id: NodeId): SimNode | undefined
  upNodes(): SimNode[]
}

const textDecoder = new TextDecoder()

/**
 * Clients: they propose unique payloads to whoever they believe leads (following notLeader hints), and issue
 * ReadIndex reads. A proposal is acknowledged when the node that accepted it applies an entry with the
 * accepted index AND term — what a real client would be told.
 */
export class Workload {
  readonly stats: WorkloadStats = { proposed: 0, rejected: 0, acknowledged: 0, reads: 0 }
  /** Steps at or after this mark count as "after the heal" for liveness. */
  healedAtStep: number | undefined
  /** Each client's belief of who leads; clients disagree during partitions. */
  readonly #guesses: NodeId[] = [NONE, NONE, NONE]
  #client = 0
  #seq = 0
  #readSeq = 0
  readonly #pending = new Map<NodeId, Map<number, Pending>>()

  constructor(
    readonly rng: Rng,
    readonly nodes: NodeDirectory,
    readonly monitor: Monitor,
    readonly trace: Trace,
    readonly clock: Clock,
    readonly seed: number,
  ) {}

  /** One request from a random client against the node it believes leads. */
  propose(): void {
    this.#client = this.rng.int(0, this.#guesses.length)
    const node = this.#target()
    if (node === undefined) return
    const payload = `s${this.seed}-p${++this.#seq}`
    const r = node.call('propose()', (raw) => raw.propose(encodePayload(payload)))
    if (r === undefined) return
    this.stats.proposed++
    if (!r.ok) {
      this.stats.rejected++
      this.#follow(r)
      return
    }
    let mine = this.#pending.get(node.id)
    if (mine === undefined) this.#pending.set(node.id, (mine = new Map()))
    mine.set(r.index, { term: r.term, payload, step: this.clock.step })
  }

  read(): void {
    this.#client = this.rng.int(0, this.#guesses.length)
    const node = this.#target()
    if (node === undefined) return
    const context = `read-${++this.#readSeq}`
    const r = node.call('readIndex()', (raw) => raw.readIndex(encodePayload(context)))
    if (r === undefined) return
    if (!r.ok) {
      this.#guesses[this.#client] = r.leader
      return
    }
    this.stats.reads++
    this.monitor.reads.issued(context, node.id, this.monitor.durability.maxAckIndex)
  }

  applied(node: SimNode, e: Entry, what: Applied): void {
    const mine = this.#pending.get(node.id)
    const p = mine?.get(e.index)
    if (mine === undefined || p === undefined) return
    mine.delete(e.index)
    if (p.term !== e.term) return
    if (what.payload !== p.payload) {
      this.monitor.report(Check.durability, `${node.id} accepted '${p.payload}' as index ${e.index} term ${e.term} but applied '${what.payload ?? 'another entry'}' there`)
      return
    }
    this.stats.acknowledged++
    this.monitor.report(Check.durability, this.monitor.durability.acknowledged(node.id, e.index, e.term, p.payload))
    if (this.healedAtStep !== undefined && p.step >= this.healedAtStep) {
      this.trace.add(`${node.id} acknowledges '${p.payload}' at index ${e.index} term ${e.term}: commits after the heal`)
      this.monitor.liveness.committed(this.clock.tick)
    }
  }

  readState(node: SimNode, rs: ReadState): void {
    const context = textDecoder.decode(rs.context)
    this.monitor.report(Check.linearizableRead, this.monitor.reads.readState(node.id, context, rs.index))
  }

  /** The node crashed: the outcome of what it accepted is unknown to its clients. */
  crashed(node: SimNode): void {
    this.#pending.delete(node.id)
    this.monitor.reads.abandon(node.id)
  }

  /** The node jumped to a snapshot at `index`: it will never apply the entries it accepted up to there. */
  restored(node: SimNode, index: number): void {
    const mine = this.#pending.get(node.id)
    if (mine === undefined) return
    for (const i of mine.keys()) if (i <= index) mine.delete(i)
  }

  #target(): SimNode | undefined {
    const guess = this.nodes.node(this.#guesses[this.#client] ?? NONE)
    if (guess !== undefined && guess.up) return guess
    const up = this.nodes.upNodes()
    if (up.length === 0) return undefined
    const pick = this.rng.pick(up)
    this.#guesses[this.#client] = pick.id
    return pick
  }

  #follow(r: Exclude<ProposalResult, { ok: true }>): void {
    if (r.reason === 'notLeader') this.#guesses[this.#client] = r.leader
  }
}
