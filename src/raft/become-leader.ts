// Role transition to leader: fresh progress for every member, then an empty entry of the new term
// so that earlier entries can be committed (§5.4.2) and reads can be served (§6.4).
import { members } from './conf-change.js'
import type { Raft } from './raft.js'
import { Progress } from './progress.js'
import { stepLeader } from './step-leader.js'
import { tickHeartbeat } from './tick.js'

export function becomeLeader(r: Raft): void {
  r.reset(r.term)
  r.stepFn = stepLeader
  r.tickFn = tickHeartbeat
  r.lead = r.id
  r.role = 'leader'
  const last = r.log.lastIndex()
  for (const id of members(r.conf)) {
    const pr = new Progress(last + 1, r.conf.learners.includes(id), r.cfg.maxInflightMsgs, r.cfg.maxInflightBytes)
    if (id === r.id) {
      // The leader's own match counts only what is durable; advance() moves it (thesis §10.2.1).
      pr.match = r.log.persistedIndex()
      pr.becomeReplicate()
      pr.recentActive = true
    }
    r.progress.set(id, pr)
  }
  // Conservative: any conf entry in the log may be unapplied.
  r.pendingConfIndex = last
  r.log.append([{ term: r.term, index: last + 1, type: 'normal', data: new Uint8Array(0) }])
  r.emit({ type: 'becameLeader', term: r.term, leader: r.id })
}
