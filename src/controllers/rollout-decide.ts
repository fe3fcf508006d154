// What the Deployment controller does about the rollout itself, pure (the pods are deployment-plan's):
//   1. record: the template is not the current revision yet: number it (rollout-revisions.ts) before any
//      pod of it is made, so every new pod carries its revision;
//   2. rollback: the current revision exceeded its progress deadline: mark it failed and put the template
//      of the last revision that completed back into the spec (unless the Deployment's annotation
//      podmesh.io/rollback-on-failure is "false", or the current revision is itself such a rollback, or
//      no revision ever completed): the rollout to that template then runs as any other;
//   3. steady: the status as it should be now (counts, conditions, history marks).
import type { DeploymentView, ReplicaView } from './deployment-plan.js'
import type { Json } from './objects.js'
import { available, countFields, countPods, deadlineAt, isComplete, progressing, PROGRESS, setCondition, conditionOf, type Condition } from './rollout-progress.js'
import { currentRecord, lastComplete, markCompleted, markFailed, readRevisionState, recordRevision, type RevisionState, type RollbackRecord } from './rollout-revisions.js'

export interface RolloutSettings {
  readonly progressDeadlineSeconds: number
  readonly revisionHistoryLimit: number
  readonly rollbackOnFailure: boolean
}

export interface RolloutFacts {
  readonly deployment: DeploymentView
  readonly generation: number
  readonly settings: RolloutSettings
  /** The stored status. */
  readonly stored: Json
  readonly template: Json
  /** The Deployment's kubernetes.io/change-cause annotation. */
  readonly changeCause?: string
  readonly pods: readonly ReplicaView[]
  readonly now: Date
}

export type RolloutDecision =
  | { readonly kind: 'record'; readonly status: Json; readonly revision: number }
  | { readonly kind: 'rollback'; readonly status: Json; readonly revision: number; readonly template: Json; readonly changeCause?: string; readonly record: RollbackRecord }
  | { readonly kind: 'steady'; readonly status: Json; readonly revision: number; readonly wakeAt?: number }

export function decideRollout(f: RolloutFacts): RolloutDecision {
  const now = f.now.toISOString()
  const state = readRevisionState(f.stored)
  const recorded = recordRevision(state, { templateHash: f.deployment.templateHash, template: f.template, ...(f.changeCause !== undefined ? { changeCause: f.changeCause } : {}), now, historyLimit: f.settings.revisionHistoryLimit })
  if (recorded) {
    const prev = conditionOf(f.stored, 'Progressing')
    const started = setCondition(prev, { type: 'Progressing', status: 'True', reason: PROGRESS.created, message: `revision ${recorded.revision} created` }, now, true)
    const conditions = [conditionOf(f.stored, 'Available'), started].filter((c): c is Condition => c !== undefined)
    // Counts over the new template, so that no one reads the old revision's as this one's.
    const counted = countFields(f.generation, countPods(f.deployment, f.pods, f.now.getTime()))
    return { kind: 'record', revision: recorded.revision, status: statusJson(f.stored, counted, conditions, recorded) }
  }
  const counts = countPods(f.deployment, f.pods, f.now.getTime())
  const facts = { deployment: f.deployment, revision: state.revision, progressDeadlineSeconds: f.settings.progressDeadlineSeconds, counts, stored: f.stored, now: f.now }
  const prog = progressing(facts)
  const avail = available(f.deployment, counts, f.stored, now)
  let marked = isComplete(f.deployment, counts) ? markCompleted(state, now) : state
  if (prog.reason === PROGRESS.deadline) marked = markFailed(marked, { reason: prog.reason, message: prog.message, time: prog.lastTransitionTime })
  const counted = countFields(f.generation, counts)
  if (prog.reason === PROGRESS.deadline && f.settings.rollbackOnFailure) {
    const rollback = rollbackTo(marked, f, prog, now)
    if (rollback) return rollback
  }
  const wakeAt = deadlineAt(prog, f.settings.progressDeadlineSeconds)
  return { kind: 'steady', revision: state.revision, status: statusJson(f.stored, counted, [avail, prog], marked), ...(wakeAt !== undefined ? { wakeAt } : {}) }
}

function rollbackTo(state: RevisionState, f: RolloutFacts, failed: Condition, now: string): RolloutDecision | undefined {
  const current = currentRecord(state)
  if (!current || state.rollback?.templateHash === current.templateHash) return undefined
  const target = lastComplete(state.history, current.templateHash)
  if (!target) return undefined
  const message = `revision ${current.revision} failed (${failed.reason}: ${failed.message}); rolled back to revision ${target.revision}`
  const record: RollbackRecord = { from: current.revision, to: target.revision, templateHash: target.templateHash, reason: failed.reason, message, time: now }
  const next = recordRevision(
    { ...state, rollback: record },
    { templateHash: target.templateHash, template: target.template, ...(target.changeCause !== undefined ? { changeCause: target.changeCause } : {}), now, historyLimit: f.settings.revisionHistoryLimit },
  )!
  const prog = setCondition(failed, { type: 'Progressing', status: 'True', reason: PROGRESS.rolledBack, message }, now, true)
  const conditions = [conditionOf(f.stored, 'Available'), prog].filter((c): c is Condition => c !== undefined)
  return {
    kind: 'rollback',
    revision: next.revision,
    template: target.template,
    ...(target.changeCause !== undefined ? { changeCause: target.changeCause } : {}),
    record: next.rollback!,
    status: statusJson(f.stored, { observedGeneration: f.generation }, conditions, next),
  }
}

/** The status object: counts (the stored ones unless given), conditions, revision, history, rollback. */
function statusJson(stored: Json, counts: Json, conditions: readonly Condition[], s: RevisionState): Json {
  const { rollback: _r, ...rest } = stored
  const sorted = [...conditions].sort((a, b) => (a.type < b.type ? -1 : 1))
  return { ...rest, ...counts, conditions: sorted, revision: s.revision, history: s.history, ...(s.rollback ? { rollback: s.rollback } : {}) }
}
