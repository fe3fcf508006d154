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
    default:
      // Includes app/heartbeat/snap of our own term from another node: two leaders in one term cannot be.
      r.counters.droppedInvalid++
  }
}
