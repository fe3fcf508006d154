// The rollout's own decisions, pure: revisions (new, renumbered, bounded history), status conditions,
// the progress deadline, and the automatic rollback (its target, no loops, the opt-out).
import t from 'tap'
import type { DeploymentView, ReplicaView } from '../../src/controllers/deployment-plan.js'
import { decideRollout, type RolloutFacts } from '../../src/controllers/rollout-decide.js'
import { pruneHistory, readRevisionState, recordRevision, type RevisionRecord } from '../../src/controllers/rollout-revisions.js'

const T0 = Date.parse('2026-01-01T00:00:00Z')
const iso = (ms: number) => new Date(ms).toISOString()
const tpl = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image }] } })
const view = (hash: string, over: Partial<DeploymentView> = {}): DeploymentView => ({
  replicas: 2,
  templateHash: hash,
  strategy: 'RollingUpdate',
  maxSurge: 1,
  maxUnavailable: 0,
  minReadySeconds: 0,
  paused: false,
  ...over,
})
const pod = (name: string, hash: string, ready = true): ReplicaView => ({
  name,
  templateHash: hash,
  nodeName: 'n1',
  phase: ready ? 'Running' : 'Pending',
  ready,
  lost: false,
  evicting: false,
  created: iso(T0),
  ...(ready ? { readySince: T0 } : {}),
})
const facts = (over: Partial<RolloutFacts> & Pick<RolloutFacts, 'deployment' | 'template'>): RolloutFacts => ({
  generation: 1,
  settings: { progressDeadlineSeconds: 10, revisionHistoryLimit: 10, rollbackOnFailure: true },
  stored: {},
  pods: [],
  now: new Date(T0),
  ...over,
})
const rec = (revision: number, hash: string, over: Partial<RevisionRecord> = {}): RevisionRecord => ({ revision, templateHash: hash, template: tpl(hash), created: iso(T0), ...over })

t.test('a first template is revision 1, with its change cause; the same template again changes nothing', async (t) => {
  const first = decideRollout(facts({ deployment: view('h1'), template: tpl('v1'), changeCause: 'first' }))
  if (first.kind !== 'record') return t.fail(first.kind)
  t.equal(first.revision, 1)
  const state = readRevisionState(first.status)
  t.same(state.history.map((h) => [h.revision, h.templateHash, h.changeCause]), [[1, 'h1', 'first']])
  t.match(first.status.conditions, [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated' }])
  const again = decideRollout(facts({ deployment: view('h1'), template: tpl('v1'), stored: first.status }))
  t.equal(again.kind, 'steady')
})

t.test('a new revision is recorded with counts over its own template, not the old one', async (t) => {
  const complete = { revision: 1, history: [rec(1, 'h1', { completed: iso(T0) })], observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }
  const d = decideRollout(facts({ deployment: view('h2'), template: tpl('v2'), generation: 2, stored: complete, pods: [pod('o1', 'h1'), pod('o2', 'h1')] }))
  t.equal(d.kind, 'record')
  t.match(d.status, { observedGeneration: 2, replicas: 2, updatedReplicas: 0, availableReplicas: 2, revision: 2 })
})

t.test('a template seen before takes the next number; history is bounded but keeps the last complete revision', async (t) => {
  const s = { revision: 3, history: [rec(1, 'h1', { completed: iso(T0) }), rec(2, 'h2'), rec(3, 'h3')] }
  const back = recordRevision(s, { templateHash: 'h1', template: tpl('h1'), now: iso(T0 + 1), historyLimit: 10 })!
  t.same(back.history.map((h) => [h.revision, h.templateHash]), [[2, 'h2'], [3, 'h3'], [4, 'h1']], 'revision 1 became 4')
  t.equal(back.history.find((h) => h.revision === 4)!.completed, undefined, 'a new rollout of it has not completed yet')
  const many = [rec(1, 'h1', { completed: iso(T0) }), rec(2, 'h2'), rec(3, 'h3'), rec(4, 'h4'), rec(5, 'h5')]
  t.same(pruneHistory(many, 5, 2).map((h) => h.revision), [1, 3, 4, 5], 'current, the 2 newest others, and the last complete one')
  t.same(pruneHistory(many, 5, 0).map((h) => h.revision), [1, 5], 'limit 0 still keeps the rollback target')
})

t.test('status counts and conditions; progress moves lastUpdateTime, standing still does not', async (t) => {
  const stored = decideRollout(facts({ deployment: view('h2'), template: tpl('v2'), stored: { revision: 1, history: [rec(1, 'h1', { completed: iso(T0) })] } }))
  if (stored.kind !== 'record') return t.fail(stored.kind)
  const pods = [pod('o1', 'h1'), pod('o2', 'h1'), pod('n1', 'h2')]
  const step = decideRollout(facts({ deployment: view('h2'), template: tpl('v2'), stored: stored.status, pods, now: new Date(T0 + 3_000) }))
  if (step.kind !== 'steady') return t.fail(step.kind)
  t.match(step.status, { replicas: 3, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0, revision: 2 })
  t.match(step.status.conditions, [
    { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
    { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: iso(T0 + 3_000) },
  ])
  t.equal(step.wakeAt, T0 + 13_001, 'the controller looks again when the deadline would pass')
  const still = decideRollout(facts({ deployment: view('h2'), template: tpl('v2'), stored: step.status, pods, now: new Date(T0 + 5_000) }))
  t.same(still.status, step.status, 'no progress, deadline not passed: the same status (nothing written)')
  const done = decideRollout(facts({ deployment: view('h2'), template: tpl('v2'), stored: step.status, pods: [pod('n1', 'h2'), pod('n2', 'h2')], now: new Date(T0 + 6_000) }))
  t.match(done.status.conditions, [{}, { reason: 'NewReplicaSetAvailable' }])
  t.equal(readRevisionState(done.status).history.find((h) => h.revision === 2)!.completed, iso(T0 + 6_000), 'revision 2 is marked complete')
})

t.test('a completed rollout is not timed out later when a pod is lost or turns unready (no rollback of a release that finished)', async (t) => {
  const created = decideRollout(facts({ deployment: view('h2'), template: tpl('v2'), stored: { revision: 1, history: [rec(1, 'h1', { completed: iso(T0 - 1) })] } }))
  const done = decideRollout(facts({ deployment: view('h2'), template: tpl('v2'), stored: created.status, pods: [pod('n1', 'h2'), pod('n2', 'h2')], now: new Date(T0 + 1_000) }))
  t.match(done.status.conditions, [{}, { reason: 'NewReplicaSetAvailable' }])
  const later = (pods: ReplicaView[], at: number) => decideRollout(facts({ deployment: view('h2'), template: tpl('v2'), stored: done.status, pods, now: new Date(at) }))
  for (const [what, pods] of [
    ['one pod unready', [pod('n1', 'h2'), pod('n2', 'h2', false)]],
    ['one pod gone, its replacement pending', [pod('n1', 'h2'), pod('n3', 'h2', false)]],
    ['every pod gone', []],
  ] as const) {
    const d = later([...pods], T0 + 60_000)
    t.equal(d.kind, 'steady', what)
    t.match(d.status.conditions, [{}, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }], what)
    t.equal(readRevisionState(d.status).history.find((h) => h.revision === 2)!.failed, undefined, `${what}: revision 2 not failed`)
    if (d.kind === 'steady') t.equal(d.wakeAt, undefined, `${what}: no deadline to wake for`)
  }
})

/** Revision 1 complete, revision 2 (h2) created at T0 and stuck: its new pod never turns ready. */
function stuck(over: Partial<RolloutFacts> = {}) {
  const created = decideRollout(facts({ deployment: view('h2'), template: tpl('v2'), changeCause: 'v2', stored: { revision: 1, history: [rec(1, 'h1', { completed: iso(T0 - 1), changeCause: 'v1' })] } }))
  const pods = [pod('o1', 'h1'), pod('o2', 'h1'), pod('n1', 'h2', false)]
  const moving = decideRollout(facts({ deployment: view('h2'), template: tpl('v2'), stored: created.status, pods }))
  return facts({ deployment: view('h2'), template: tpl('v2'), stored: moving.status, pods, now: new Date(T0 + 10_001), ...over })
}

t.test('past the progress deadline: marked failed and rolled back to the last complete revision', async (t) => {
  const d = decideRollout(stuck())
  if (d.kind !== 'rollback') return t.fail(d.kind)
  t.same(d.template, tpl('h1'), 'the template of revision 1 goes back')
  t.equal(d.changeCause, 'v1')
  t.equal(d.revision, 3, 'as revision 3')
  t.match(d.record, { from: 2, to: 1, revision: 3, templateHash: 'h1', reason: 'ProgressDeadlineExceeded' })
  const state = readRevisionState(d.status)
  t.match(state.history.find((h) => h.revision === 2)!.failed, { reason: 'ProgressDeadlineExceeded' }, 'revision 2 is marked failed')
  t.match(d.status.conditions, [{}, { type: 'Progressing', status: 'True', reason: 'RolledBack' }])
})

t.test('no rollback when disabled, when nothing ever completed, or when the current revision is a rollback', async (t) => {
  const off = decideRollout(stuck({ settings: { progressDeadlineSeconds: 10, revisionHistoryLimit: 10, rollbackOnFailure: false } }))
  t.equal(off.kind, 'steady')
  t.match(off.status.conditions, [{}, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }])
  t.match(readRevisionState(off.status).history.find((h) => h.revision === 2)!.failed, { reason: 'ProgressDeadlineExceeded' })

  const base = stuck()
  const never = { ...base.stored, history: readRevisionState(base.stored).history.map(({ completed: _c, ...h }) => h) }
  t.equal(decideRollout({ ...base, stored: never }).kind, 'steady', 'no complete revision to go back to')

  // The rollback's own rollout (revision 3, template h1) gets stuck too: it is marked failed, nothing more.
  const rolled = decideRollout(base)
  if (rolled.kind !== 'rollback') return t.fail(rolled.kind)
  const pods = [pod('n1', 'h2', false), pod('x1', 'h1', false)]
  const moving = decideRollout({ ...base, deployment: view('h1'), template: tpl('h1'), stored: rolled.status, pods, now: new Date(T0 + 10_002) })
  const again = decideRollout({ ...base, deployment: view('h1'), template: tpl('h1'), stored: moving.status, pods, now: new Date(T0 + 30_000) })
  t.equal(again.kind, 'steady', 'no second rollback')
  t.match(again.status.conditions, [{}, { reason: 'ProgressDeadlineExceeded' }])
  t.match(again.status.rollback, { from: 2, to: 1, revision: 3 }, 'the rollback stays on record')
})

t.test('paused: no deadline runs; resumed: the deadline starts again', async (t) => {
  const base = stuck()
  const paused = decideRollout({ ...base, deployment: view('h2', { paused: true }) })
  t.equal(paused.kind, 'steady')
  t.match(paused.status.conditions, [{}, { status: 'Unknown', reason: 'DeploymentPaused' }])
  const resumed = decideRollout({ ...base, stored: paused.status, now: new Date(T0 + 60_000) })
  t.match(resumed.status.conditions, [{}, { status: 'True', reason: 'DeploymentResumed', lastUpdateTime: iso(T0 + 60_000) }])
})

t.test('a user template change after a rollback clears the rollback record', async (t) => {
  const rolled = decideRollout(stuck())
  if (rolled.kind !== 'rollback') return t.fail(rolled.kind)
  const next = decideRollout(facts({ deployment: view('h4'), template: tpl('v4'), stored: rolled.status }))
  t.equal(next.kind, 'record')
  t.equal(next.status.rollback, undefined)
  t.equal(next.revision, 4)
})
