// Role transition to follower: the step and tick functions are swapped as one pair.
import type { Raft } from './raft.js'
import { stepFollower } from './step-follower.js'
import { tickElection } from './tick.js'
import type { NodeId } from './types.js'

export function becomeFollower(r: Raft, term: number, lead: NodeId): void {
  r.reset(term)
  r.stepFn = stepFollower
  r.tickFn = tickElection
  r.lead = lead
  r.role = 'follower'
  r.emit({ type: 'becameFollower', term: r.term, leader: lead })
}
