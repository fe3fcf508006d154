// Role transitions to pre-candidate (§9.6: probe for votes without bumping the term) and candidate.
import type { Raft } from './raft.js'
import { stepCandidate } from './step-candidate.js'
import { tickElection } from './tick.js'
import { NONE } from './types.js'

/** Keeps term and vote: a pre-vote that fails must leave no trace that could disrupt the cluster. */
export function becomePreCandidate(r: Raft): void {
  r.stepFn = stepCandidate
  r.tickFn = tickElection
  r.votes.clear()
  r.lead = NONE
  r.role = 'preCandidate'
  r.emit({ type: 'becamePreCandidate', term: r.term, leader: NONE })
}

export function becomeCandidate(r: Raft): void {
  r.reset(r.term + 1)
  r.stepFn = stepCandidate
  r.tickFn = tickElection
  r.vote = r.id
  r.role = 'candidate'
  r.emit({ type: 'becameCandidate', term: r.term, leader: NONE })
}
