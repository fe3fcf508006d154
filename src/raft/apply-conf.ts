// Applying a committed membership change (in advance(), once the driver applied the entry).
import { applyConfChange, decodeConfEntry, isVoter, members } from './conf-change.js'
import { becomeFollower } from './become-follower.js'
import { Progress } from './progress.js'
import type { Raft } from './raft.js'
import { bcastAppend, maybeSendAppend } from './replication.js'
import { abortLeaderTransfer } from './transfer.js'
import { NONE, type Entry } from './types.js'

/**
 * Entries at or below confIndex are already reflected (e.g. by a snapshot restored meanwhile).
 * An entry that does not decode or does not apply is skipped on every node alike, so all nodes agree.
 */
export function applyConfEntry(r: Raft, e: Entry): void {
  if (e.index <= r.confIndex) return
  const cc = decodeConfEntry(e.data)
  if (cc === undefined) return
  const outcome = applyConfChange(r.conf, cc)
  if (!outcome.ok) return
  r.conf = outcome.conf
  r.confIndex = e.index
  r.emit({ type: 'confChanged', index: e.index, conf: outcome.conf, change: cc })
  if (r.role === 'leader') leaderConfChanged(r)
}

function leaderConfChanged(r: Raft): void {
  if (!isVoter(r.conf, r.id)) {
    // Removed or demoted: the entry is committed, so the rest of the cluster can elect a leader without us.
    const term = r.term
    becomeFollower(r, term, NONE)
    r.emit({ type: 'stepDown', term, reason: 'removed' })
    return
  }
  syncProgress(r)
  if (r.leadTransferee !== NONE && !isVoter(r.conf, r.leadTransferee)) abortLeaderTransfer(r)
  // A smaller quorum may commit more at once; new members get their first probe.
  if (r.maybeCommit()) bcastAppend(r)
  else for (const id of r.progress.keys()) maybeSendAppend(r, id, false)
}

/** New members start in probe (and count as recently active, so check-quorum gives them time to answer). */
function syncProgress(r: Raft): void {
  const wanted = new Set(members(r.conf))
  for (const id of [...r.progress.keys()]) if (!wanted.has(id)) r.progress.delete(id)
  const last = r.log.lastIndex()
  for (const id of wanted) {
    const learner = r.conf.learners.includes(id)
    const pr = r.progress.get(id)
    if (pr !== undefined) {
      pr.isLearner = learner
      continue
    }
    // next = last (not last+1) so the first probe carries an entry and goes out at once (etcd).
    const fresh = new Progress(Math.max(last, 1), learner, r.cfg.maxInflightMsgs, r.cfg.maxInflightBytes)
    fresh.recentActive = true
    r.progress.set(id, fresh)
  }
}
