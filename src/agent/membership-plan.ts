import type { ConfChange, NodeId } from '../raft/types.js'

// The leader's membership rule, as a pure function so it can be tested without a cluster.
// It proposes at most one change at a time; the controller calls it again once that change is applied.

export interface MemberHealth {
  readonly id: NodeId
  readonly role: 'voter' | 'learner'
  /** Milliseconds since the leader last heard from it (0 for the leader itself, Infinity if never). */
  readonly silentForMs: number
  /** Its log is close enough to the leader's to take part in quorums right away. */
  readonly caughtUp: boolean
}

export interface MembershipInput {
  readonly leader: NodeId
  readonly members: readonly MemberHealth[]
  /** A voter silent for longer than this is lost and may be replaced by a healthy learner. */
  readonly graceMs: number
  /** A member silent for longer than this is not healthy enough to be promoted. */
  readonly healthyWithinMs: number
}

/** 1 voter for 1 or 2 nodes (a second voter would only add a way to lose quorum), 3 for 3 or 4, 5 for 5 or more. */
export function targetVoters(memberCount: number): number {
  if (memberCount >= 5) return 5
  if (memberCount >= 3) return 3
  return 1
}

export function planMembershipChange(input: MembershipInput): ConfChange | undefined {
  const voters = input.members.filter((m) => m.role === 'voter')
  const target = targetVoters(input.members.length)
  const promotable = input.members
    .filter((m) => m.role === 'learner' && m.caughtUp && m.silentForMs <= input.healthyWithinMs)
    .sort(byHealthThenId)
  const lost = voters.filter((m) => m.id !== input.leader && m.silentForMs > input.graceMs).sort(byHealthThenId).reverse()

  // Replace a lost voter: promote first, so the configuration never shrinks below what is live.
  if (lost.length > 0 && promotable.length > 0 && voters.length <= target) {
    return { type: 'addVoter', node: promotable[0]!.id }
  }
  if (voters.length > target) {
    const demote = lost[0] ?? pickSurplusVoter(voters, input)
    if (demote && keepsLiveQuorum(voters, demote.id, input.graceMs)) return { type: 'addLearner', node: demote.id }
    return undefined
  }
  if (voters.length < target && promotable.length > 0) return { type: 'addVoter', node: promotable[0]!.id }
  return undefined
}

/** The new configuration (without `demoted`) must still have a quorum of members that are not lost. */
function keepsLiveQuorum(voters: readonly MemberHealth[], demoted: NodeId, graceMs: number): boolean {
  const remaining = voters.filter((v) => v.id !== demoted)
  const live = remaining.filter((v) => v.silentForMs <= graceMs).length
  return remaining.length > 0 && live >= Math.floor(remaining.length / 2) + 1
}

function pickSurplusVoter(voters: readonly MemberHealth[], input: MembershipInput): MemberHealth | undefined {
  return voters.filter((v) => v.id !== input.leader).sort(byHealthThenId).reverse()[0]
}

/** Most recently heard from first, caught-up before lagging, then by id for determinism. */
function byHealthThenId(a: MemberHealth, b: MemberHealth): number {
  if (a.caughtUp !== b.caughtUp) return a.caughtUp ? -1 : 1
  if (a.silentForMs !== b.silentForMs) return a.silentForMs - b.silentForMs
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
