// Majority arithmetic over a single configuration (model: etcd-io/raft quorum/majority.go).
// Only voters count; learners never appear here.
import type { NodeId } from './types.js'

export type VoteResult = 'won' | 'lost' | 'pending'

/** Size of a majority of n voters: 1 of 1, 2 of 2 or 3, 3 of 4 or 5. */
export function majority(n: number): number {
  return Math.floor(n / 2) + 1
}

/**
 * The highest index acknowledged by a majority of voters: sort the matches descending and take the
 * majority-th one. Example, matches {5, 3, 9}: sorted 9, 5, 3; a majority is 2, so 5 is committed.
 * A voter without a known match counts as 0. Empty configuration: 0 (nothing can commit).
 */
export function committedIndex(voters: readonly NodeId[], matchOf: (id: NodeId) => number | undefined): number {
  if (voters.length === 0) return 0
  const matches = voters.map((id) => matchOf(id) ?? 0).sort((a, b) => b - a)
  return matches[majority(voters.length) - 1]
}

/** Outcome of a vote given the answers so far (true = granted); answers from non-voters are ignored. */
export function voteResult(voters: readonly NodeId[], votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  if (voters.length === 0) return 'won'
  let granted = 0
  let missing = 0
  for (const id of voters) {
    const v = votes.get(id)
    if (v === undefined) missing++
    else if (v) granted++
  }
  const q = majority(voters.length)
  if (granted >= q) return 'won'
  if (granted + missing >= q) return 'pending'
  return 'lost'
}

/** Whether the voters in `active` form a majority. */
export function isQuorum(voters: readonly NodeId[], active: (id: NodeId) => boolean): boolean {
  let n = 0
  for (const id of voters) if (active(id)) n++
  return n >= majority(voters.length)
}
