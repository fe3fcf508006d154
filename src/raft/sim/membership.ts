import type { ConfChange, ConfState, NodeId } from '../types.js'
import type { Rng } from './rng.js'

export interface MembershipLimits {
  /** Never fewer voters than this (3). */
  readonly minVoters: number
  readonly maxVoters: number
  /** Never more members (voters + learners) than this. */
  readonly maxMembers: number
}

/**
 * One membership change drawn from rng, within the limits: add a fresh learner, promote a learner,
 * demote a voter, or remove a learner or a voter. `fresh` names the next unused node id.
 */
export function chooseConfChange(rng: Rng, conf: ConfState, limits: MembershipLimits, fresh: () => NodeId): ConfChange | undefined {
  const voters = conf.voters.length
  const members = voters + conf.learners.length
  const options: Array<() => ConfChange | undefined> = []
  if (members < limits.maxMembers) options.push(() => ({ type: 'addLearner', node: fresh() }))
  if (conf.learners.length > 0 && voters < limits.maxVoters) options.push(() => ({ type: 'addVoter', node: rng.pick(conf.learners) }))
  if (voters > limits.minVoters) {
    options.push(() => ({ type: 'addLearner', node: rng.pick(conf.voters) }))
    options.push(() => ({ type: 'remove', node: rng.pick(conf.voters) }))
  }
  if (conf.learners.length > 0) options.push(() => ({ type: 'remove', node: rng.pick(conf.learners) }))
  if (options.length === 0) return undefined
  return rng.pick(options)()
}
