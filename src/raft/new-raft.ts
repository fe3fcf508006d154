// Building a node's state from storage: hard state, the log, and the configuration as of `applied`.
import { becomeFollower } from './become-follower.js'
import { applyConfChange, decodeConfEntry } from './conf-change.js'
import { resolveConfig } from './config.js'
import type { RaftConfig } from './api.js'
import { RaftConfigError } from './errors.js'
import { Raft } from './raft.js'
import { stepFollower } from './step-follower.js'
import { tickElection } from './tick.js'
import type { ConfState } from './types.js'

export function newRaft(config: RaftConfig): Raft {
  const cfg = resolveConfig(config)
  const { hardState, conf } = cfg.storage.initialState()
  const r = new Raft(cfg, conf, tickElection, stepFollower)
  const first = r.log.firstIndex()
  const last = r.log.lastIndex()
  if (hardState.commit < first - 1 || hardState.commit > last) {
    throw new RaftConfigError(`hard state commit ${hardState.commit} outside the log [${first - 1}, ${last}]`)
  }
  r.log.committed = hardState.commit
  const applied = cfg.applied ?? first - 1
  if (applied < first - 1 || applied > hardState.commit) {
    throw new RaftConfigError(`applied ${applied} outside [${first - 1}, ${hardState.commit}]`)
  }
  r.log.appliedTo(applied)
  r.confIndex = first - 1
  r.conf = replayConf(r, conf, first, applied)
  r.term = hardState.term
  r.vote = hardState.vote
  becomeFollower(r, hardState.term, '')
  return r
}

/** The conf changes of entries in (snapshot, applied] were applied before a restart: fold them in again. */
function replayConf(r: Raft, conf: ConfState, first: number, applied: number): ConfState {
  if (applied < first) return conf
  let current = conf
  for (const e of r.log.slice(first, applied + 1, Number.MAX_SAFE_INTEGER)) {
    if (e.type !== 'conf') continue
    const cc = decodeConfEntry(e.data)
    const outcome = cc === undefined ? undefined : applyConfChange(current, cc)
    if (outcome?.ok) {
      current = outcome.conf
      r.confIndex = e.index
    }
  }
  return current
}
