import { decode, decodeConfChange, encode } from '../codec.js'
import type { ConfChange, ConfState, Entry } from '../types.js'
import { chainHash, EMPTY_CHAIN } from './hash.js'

const textDecoder = new TextDecoder()
const textEncoder = new TextEncoder()

export function encodePayload(payload: string): Uint8Array {
  return textEncoder.encode(payload)
}

/** Membership after `cc`, one server at a time (mirrors what the core does when it applies a conf entry). */
export function applyConfChange(conf: ConfState, cc: ConfChange): ConfState {
  const voters = conf.voters.filter((n) => n !== cc.node)
  const learners = conf.learners.filter((n) => n !== cc.node)
  if (cc.type === 'addVoter') voters.push(cc.node)
  if (cc.type === 'addLearner') learners.push(cc.node)
  return { voters: voters.sort(), learners: learners.sort() }
}

export function describeConf(conf: ConfState): string {
  const learners = conf.learners.length > 0 ? ` learners {${conf.learners.join(',')}}` : ''
  return `voters {${conf.voters.join(',')}}${learners}`
}

interface SnapshotData {
  readonly index: number
  readonly chain: number
  readonly items: readonly string[]
  readonly conf: ConfState
}

/** What applying one entry did. */
export interface Applied {
  /** The client payload of a normal entry; undefined for the leader's no-op and conf changes. */
  readonly payload: string | undefined
  readonly change: ConfChange | undefined
}

/**
 * The replicated state machine of the simulation: the list of client payloads applied so far, the membership,
 * and the chained hash of every entry applied (no-ops and conf changes included). A snapshot is all of it, encoded.
 */
export class StateMachine {
  index = 0
  chain = EMPTY_CHAIN
  conf: ConfState
  readonly items: string[] = []
  readonly #itemSet = new Set<string>()

  constructor(conf: ConfState) {
    this.conf = conf
  }

  static restore(data: Uint8Array): StateMachine {
    const d = decode<SnapshotData>(data)
    const sm = new StateMachine(d.conf)
    sm.index = d.index
    sm.chain = d.chain
    for (const item of d.items) sm.#push(item)
    return sm
  }

  has(payload: string): boolean {
    return this.#itemSet.has(payload)
  }

  apply(e: Entry): Applied {
    this.index = e.index
    this.chain = chainHash(this.chain, e)
    if (e.type === 'conf') {
      const change = decodeConfChange(e.data)
      this.conf = applyConfChange(this.conf, change)
      return { payload: undefined, change }
    }
    if (e.data.length === 0) return { payload: undefined, change: undefined }
    const payload = textDecoder.decode(e.data)
    this.#push(payload)
    return { payload, change: undefined }
  }

  encode(): Uint8Array {
    const d: SnapshotData = { index: this.index, chain: this.chain, items: this.items, conf: this.conf }
    return encode(d)
  }

  #push(item: string): void {
    this.items.push(item)
    this.#itemSet.add(item)
  }
}
