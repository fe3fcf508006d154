// Follower: messages of the current term (the term check has run).
import { hup } from './election.js'
import { handleAppend, handleHeartbeat } from './follower-append.js'
import { handleSnapshotChunk } from './follower-snapshot.js'
import type { Raft } from './raft.js'
import type { Message } from './types.js'

export function stepFollower(r: Raft, m: Message): void {
  switch (m.type) {
    case 'app':
      heardFromLeader(r, m.from)
      handleAppend(r, m)
      return
    case 'heartbeat':
      heardFromLeader(r, m.from)
      handleHeartbeat(r, m)
      return
    case 'snap':
      heardFromLeader(r, m.from)
      handleSnapshotChunk(r, m)
      return
    case 'timeoutNow':
      // §3.10: the leader asks us to take over; campaign now, skipping pre-vote, with transfer set.
      hup(r, true)
      return
    case 'readIndexResp':
      r.readStates.push({ index: m.index, context: m.context })
      return
    default:
      // Late answers to requests of a role we no longer hold, and reads meant for a leader: ignored.
      return
  }
}

function heardFromLeader(r: Raft, from: string): void {
  r.electionElapsed = 0
  r.lead = from
}
