// Candidate and pre-candidate: messages of the current term.
import { becomeFollower } from './become-follower.js'
import { handleVoteResponse } from './election.js'
import type { Raft } from './raft.js'
import { stepFollower } from './step-follower.js'
import type { Message } from './types.js'

export function stepCandidate(r: Raft, m: Message): void {
  switch (m.type) {
    case 'app':
    case 'heartbeat':
    case 'snap':
      // A leader exists for this term (§5.2): follow it, then handle the message as a follower.
      becomeFollower(r, m.term, m.from)
      stepFollower(r, m)
      return
    case 'preVoteResp':
    case 'voteResp':
      handleVoteResponse(r, m)
      return
    default:
      // Late answers of an earlier role, reads meant for a leader, timeoutNow (already campaigning): ignored.
      return
  }
}
