// Leader: accepting proposals and membership changes.
import { applyConfChange } from './conf-change.js'
import { encodeConfChange } from './codec.js'
import type { Raft } from './raft.js'
import { NONE, type ConfChange, type Entry, type EntryType, type ProposalRejection, type ProposalResult } from './types.js'

function refusal(r: Raft): ProposalRejection | undefined {
  if (r.role !== 'leader') return { ok: false, reason: 'notLeader', leader: r.lead }
  if (r.leadTransferee !== NONE) return { ok: false, reason: 'transferring', leader: r.lead }
  return undefined
}

/**
 * The log keeps an entry's data until compaction, so a view into a larger buffer would keep all of that
 * buffer alive with it: msgpackr packs into a shared 8 KB buffer, and forwarded proposals arrive inside
 * network chunks. Such data is copied to bytes of its own.
 */
function ownBytes(data: Uint8Array): Uint8Array {
  // Not data.slice(): on a Node Buffer that is another view, not a copy.
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : new Uint8Array(data)
}

function appendEntry(r: Raft, type: EntryType, data: Uint8Array): ProposalResult {
  const index = r.log.lastIndex() + 1
  const e: Entry = { term: r.term, index, type, data: ownBytes(data) }
  r.log.append([e])
  // The leader's own progress moves only when advance() reports the entry durable. Followers get it
  // with the next Ready (see Raft.appendsPending).
  r.appendsPending = true
  return { ok: true, index, term: r.term }
}

export function propose(r: Raft, data: Uint8Array): ProposalResult {
  return refusal(r) ?? appendEntry(r, 'normal', data)
}

/**
 * One change at a time (thesis §4.1): refused while an earlier change is unapplied, and until the leader
 * has committed an entry of its own term; without that rule a leader elected under a change it has not
 * seen committed could add a conflicting one (Ongaro, raft-dev, 2015).
 */
export function proposeConfChange(r: Raft, cc: ConfChange): ProposalResult {
  const refused = refusal(r)
  if (refused !== undefined) return refused
  if (r.pendingConfIndex > r.log.applied || !r.committedEntryInCurrentTerm()) {
    return { ok: false, reason: 'confChangePending', leader: r.lead }
  }
  // Checked against the configuration as of the last applied change, which is the one it will apply to.
  const outcome = applyConfChange(r.conf, cc)
  if (!outcome.ok) return { ok: false, reason: 'invalidConfChange', leader: r.lead }
  const res = appendEntry(r, 'conf', encodeConfChange(cc))
  if (res.ok) r.pendingConfIndex = res.index
  return res
}
