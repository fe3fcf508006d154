// The tick half of each role: followers and candidates count toward an election, the leader toward heartbeats.
import { becomeFollower } from './become-follower.js'
import { hup } from './election.js'
import type { Raft } from './raft.js'
import { bcastHeartbeat } from './replication.js'
import { tickSnapshotTransfers } from './snapshot-sender.js'
import { abortLeaderTransfer } from './transfer.js'
import { NONE } from './types.js'

/** Follower, pre-candidate, candidate: campaign after the randomized election timeout. */
export function tickElection(r: Raft): void {
  r.electionElapsed++
  if (r.promotable() && r.electionElapsed >= r.randomizedElectionTimeout) {
    r.electionElapsed = 0
    hup(r, false)
  }
}

/** Leader: heartbeats every heartbeatTick; check-quorum and transfer timeouts every electionTick. */
export function tickHeartbeat(r: Raft): void {
  r.heartbeatElapsed++
  r.electionElapsed++
  if (r.electionElapsed >= r.cfg.electionTick) {
    r.electionElapsed = 0
    if (r.cfg.checkQuorum) {
      if (!r.quorumActive()) {
        const term = r.term
        becomeFollower(r, term, NONE)
        r.emit({ type: 'stepDown', term, reason: 'checkQuorum' })
        return
      }
      for (const [id, pr] of r.progress) pr.recentActive = id === r.id
    }
    abortLeaderTransfer(r)
  }
  tickSnapshotTransfers(r)
  if (r.heartbeatElapsed >= r.cfg.heartbeatTick) {
    r.heartbeatElapsed = 0
    bcastHeartbeat(r)
  }
}
