// Leader: messages of the current term, one handler per type.
import { handleAppendResponse, handleHeartbeatResponse } from './leader-responses.js'
import type { Raft } from './raft.js'
import { leaderRead } from './read-index.js'
import { handleSnapshotResponse } from './snapshot-sender.js'
import type { Message } from './types.js'

export function stepLeader(r: Raft, m: Message): void {
  switch (m.type) {
    case 'appResp':
      handleAppendResponse(r, m)
      return
    case 'heartbeatResp':
      handleHeartbeatResponse(r, m)
      return
    case 'snapResp':
      handleSnapshotResponse(r, m)
      return
    case 'readIndex':
      leaderRead(r, { from: m.from, context: m.context })
      return
    case 'app':
    case 'heartbeat':
    case 'snap':
      // Another leader of our own term: Election Safety says this cannot be, so the message is bogus.
      r.counters.droppedInvalid++
      return
    default:
      // Late vote answers after winning, and messages only followers handle: ignored.
      return
  }
}
