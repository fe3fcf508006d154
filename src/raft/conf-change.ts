// Membership changes, one server at a time (Raft thesis §4.1). Pure: a change returns a new configuration.
import { decodeConfChange } from './codec.js'
import type { ConfChange, ConfState, NodeId } from './types.js'

export type ConfChangeRefusal = 'malformed' | 'noop' | 'unknownNode' | 'noVoters'

export type ConfChangeOutcome = { readonly ok: true; readonly conf: ConfState } | { readonly ok: false; readonly reason: ConfChangeRefusal }

export function isVoter(conf: ConfState, id: NodeId): boolean {
  return conf.voters.includes(id)
}

export function isLearner(conf: ConfState, id: NodeId): boolean {
  return conf.learners.includes(id)
}

export function isMember(conf: ConfState, id: NodeId): boolean {
  return isVoter(conf, id) || isLearner(conf, id)
}

export function members(conf: ConfState): NodeId[] {
  return [...conf.voters, ...conf.learners]
}

export function isConfChange(x: unknown): x is ConfChange {
  if (typeof x !== 'object' || x === null) return false
  const cc = x as { type?: unknown; node?: unknown }
  const knownType = cc.type === 'addVoter' || cc.type === 'addLearner' || cc.type === 'remove'
  return knownType && typeof cc.node === 'string' && cc.node !== ''
}

/** Decodes a conf entry's data; undefined when it is not a valid ConfChange. */
export function decodeConfEntry(data: Uint8Array): ConfChange | undefined {
  try {
    const cc: unknown = decodeConfChange(data)
    return isConfChange(cc) ? { type: cc.type, node: cc.node } : undefined
  } catch {
    return undefined
  }
}

const without = (ids: readonly NodeId[], id: NodeId): NodeId[] => ids.filter((x) => x !== id)

/**
 * The configuration after cc, or why cc is refused:
 *   addVoter   adds a voter or promotes a learner; noop if already a voter.
 *   addLearner adds a learner or demotes a voter; noop if already a learner.
 *   remove     removes a member; unknownNode if it is not one.
 * Any change that leaves no voter is refused (noVoters).
 */
export function applyConfChange(conf: ConfState, cc: ConfChange): ConfChangeOutcome {
  if (!isConfChange(cc)) return { ok: false, reason: 'malformed' }
  let next: ConfState
  switch (cc.type) {
    case 'addVoter':
      if (isVoter(conf, cc.node)) return { ok: false, reason: 'noop' }
      next = { voters: [...conf.voters, cc.node], learners: without(conf.learners, cc.node) }
      break
    case 'addLearner':
      if (isLearner(conf, cc.node)) return { ok: false, reason: 'noop' }
      next = { voters: without(conf.voters, cc.node), learners: [...conf.learners, cc.node] }
      break
    case 'remove':
      if (!isMember(conf, cc.node)) return { ok: false, reason: 'unknownNode' }
      next = { voters: without(conf.voters, cc.node), learners: without(conf.learners, cc.node) }
      break
  }
  if (next.voters.length === 0) return { ok: false, reason: 'noVoters' }
  return { ok: true, conf: next }
}
