// A Deployment's revisions, pure. Kubernetes keeps one ReplicaSet per pod template and numbers them in
// an annotation; podmesh has no ReplicaSets: the Deployment's own status (written only by the leader's
// controller, kept by user writes) holds the numbered history of its templates, and pods carry the
// template's hash (label pod-template-hash) and the revision number (annotation).
//
// Rules, as in Kubernetes: a template never seen makes revision max+1; a template seen before (an undo,
// an automatic rollback, or applying an old manifest again) takes the number max+1 and leaves its old
// number. Old revisions beyond revisionHistoryLimit are dropped, oldest first, except the last one that
// completed: it is the target of an automatic rollback.
import type { Json } from './objects.js'
import { arr, rec } from './objects.js'

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision'
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause'

export interface FailedMark {
  readonly reason: string
  readonly message: string
  readonly time: string
}

export interface RevisionRecord {
  readonly revision: number
  readonly templateHash: string
  readonly template: Json
  readonly changeCause?: string
  /** When it became the current revision (ISO). */
  readonly created: string
  /** When its rollout last completed; absent while it has not since it became current. */
  readonly completed?: string
  readonly failed?: FailedMark
}

/** The controller rolled a failed revision back: kept while the template it went back to is current. */
export interface RollbackRecord {
  /** The revision that failed. */
  readonly from: number
  /** The number the rolled-back-to template had then. */
  readonly to: number
  /** The number it has since (it becomes the newest revision). */
  readonly revision?: number
  readonly templateHash: string
  readonly reason: string
  readonly message: string
  readonly time: string
}

export interface RevisionState {
  /** The current revision; 0 before the controller has seen the deployment. */
  readonly revision: number
  /** Ordered by revision. */
  readonly history: readonly RevisionRecord[]
  readonly rollback?: RollbackRecord
}

export interface TemplateFacts {
  readonly templateHash: string
  readonly template: Json
  readonly changeCause?: string
  readonly now: string
  readonly historyLimit: number
}

export function currentRecord(s: RevisionState): RevisionRecord | undefined {
  return s.history.find((h) => h.revision === s.revision)
}

/** The revision that completed last, other than `exceptHash` (the automatic rollback's target). */
export function lastComplete(history: readonly RevisionRecord[], exceptHash?: string): RevisionRecord | undefined {
  let best: RevisionRecord | undefined
  for (const h of history) {
    if (h.completed === undefined || h.templateHash === exceptHash) continue
    if (!best || h.completed > best.completed! || (h.completed === best.completed && h.revision > best.revision)) best = h
  }
  return best
}

/** The state once `facts.template` is current; undefined when it already is. */
export function recordRevision(s: RevisionState, facts: TemplateFacts): RevisionState | undefined {
  if (currentRecord(s)?.templateHash === facts.templateHash) return undefined
  const revision = s.history.reduce((m, h) => Math.max(m, h.revision), 0) + 1
  const seen = s.history.find((h) => h.templateHash === facts.templateHash)
  const changeCause = facts.changeCause ?? seen?.changeCause
  const entry: RevisionRecord = {
    revision,
    templateHash: facts.templateHash,
    template: facts.template,
    ...(changeCause !== undefined ? { changeCause } : {}),
    created: facts.now,
  }
  const history = pruneHistory([...s.history.filter((h) => h !== seen), entry], revision, facts.historyLimit)
  const rollback = s.rollback?.templateHash === facts.templateHash ? { ...s.rollback, revision } : undefined
  return { revision, history, ...(rollback ? { rollback } : {}) }
}

/** Keeps the current revision, the last complete one, and the `limit` newest others. */
export function pruneHistory(history: readonly RevisionRecord[], current: number, limit: number): RevisionRecord[] {
  const keep = lastComplete(history.filter((h) => h.revision !== current))
  const others = history.filter((h) => h.revision !== current && h !== keep).sort((a, b) => b.revision - a.revision)
  const kept = new Set([...others.slice(0, limit), ...(keep ? [keep] : [])])
  return history.filter((h) => h.revision === current || kept.has(h)).sort((a, b) => a.revision - b.revision)
}

export function markCurrent(s: RevisionState, change: (r: RevisionRecord) => RevisionRecord): RevisionState {
  return { ...s, history: s.history.map((h) => (h.revision === s.revision ? change(h) : h)) }
}

export function markCompleted(s: RevisionState, now: string): RevisionState {
  const cur = currentRecord(s)
  if (!cur || cur.completed !== undefined) return s
  return markCurrent(s, ({ failed: _f, ...h }) => ({ ...h, completed: now }))
}

export function markFailed(s: RevisionState, mark: FailedMark): RevisionState {
  const cur = currentRecord(s)
  if (!cur || cur.failed !== undefined) return s
  return markCurrent(s, (h) => ({ ...h, failed: mark }))
}

/** The revision state stored in a Deployment's status; tolerant of fields the cluster has not filled. */
export function readRevisionState(status: Json): RevisionState {
  const history: RevisionRecord[] = []
  for (const h of arr(status.history)) {
    if (typeof h.revision !== 'number' || typeof h.templateHash !== 'string') continue
    const failed = rec(h.failed)
    history.push({
      revision: h.revision,
      templateHash: h.templateHash,
      template: rec(h.template),
      ...(typeof h.changeCause === 'string' ? { changeCause: h.changeCause } : {}),
      created: typeof h.created === 'string' ? h.created : '',
      ...(typeof h.completed === 'string' ? { completed: h.completed } : {}),
      ...(typeof failed.reason === 'string' ? { failed: { reason: failed.reason, message: String(failed.message ?? ''), time: String(failed.time ?? '') } } : {}),
    })
  }
  history.sort((a, b) => a.revision - b.revision)
  const rb = rec(status.rollback)
  const rollback: RollbackRecord | undefined =
    typeof rb.from === 'number' && typeof rb.to === 'number' && typeof rb.templateHash === 'string'
      ? {
          from: rb.from,
          to: rb.to,
          ...(typeof rb.revision === 'number' ? { revision: rb.revision } : {}),
          templateHash: rb.templateHash,
          reason: String(rb.reason ?? ''),
          message: String(rb.message ?? ''),
          time: String(rb.time ?? ''),
        }
      : undefined
  return { revision: typeof status.revision === 'number' ? status.revision : 0, history, ...(rollback ? { rollback } : {}) }
}
