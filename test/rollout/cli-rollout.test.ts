// The client side of rollouts, pure: the verdict on an observed Deployment (kubectl's messages plus
// the automatic rollback), the history rows, and undo's choice of revision and its errors.
import t from 'tap'
import { rolloutVerdict } from '../../src/agent/cli-rollout-follow.js'
import { historyRows, undoTarget } from '../../src/agent/cli-rollout.js'

const history = [
  { revision: 1, templateHash: 'h1', template: { spec: { containers: [{ name: 'm', image: 'v1' }] } }, changeCause: 'v1', completed: '2026-01-01T00:00:00Z' },
  { revision: 2, templateHash: 'h2', template: {}, failed: { reason: 'ProgressDeadlineExceeded', message: 'stuck', time: 'x' } },
  { revision: 3, templateHash: 'h3', template: {} },
]
const dep = (status: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
  metadata: { name: 'web', generation: 2 },
  spec: { replicas: 3 },
  status: { observedGeneration: 2, revision: 3, history, ...status },
  ...over,
})

t.test('waiting, in the order kubectl reports it, then complete', async (t) => {
  t.match(rolloutVerdict(dep({ observedGeneration: 1 })), { state: 'waiting', message: /spec update to be observed/ })
  t.match(rolloutVerdict(dep({ updatedReplicas: 1, replicas: 4 })), { state: 'waiting', message: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...' })
  t.match(rolloutVerdict(dep({ updatedReplicas: 3, replicas: 4 })), { message: /1 old replicas are pending termination/ })
  t.match(rolloutVerdict(dep({ updatedReplicas: 3, replicas: 3, availableReplicas: 2 })), { message: /2 of 3 updated replicas are available/ })
  t.same(rolloutVerdict(dep({ updatedReplicas: 3, replicas: 3, availableReplicas: 3 })), { state: 'complete', message: 'deployment "web" successfully rolled out' })
  t.match(rolloutVerdict(dep({ updatedReplicas: 3, replicas: 3, availableReplicas: 3 }), 3), { state: 'waiting' }, 'not before the generation the caller wrote is observed')
  t.match(rolloutVerdict(dep({ updatedReplicas: 1 }, { spec: { replicas: 3, paused: true } })), { message: /paused: resume with `agent rollout resume deployment web`/ })
})

t.test('failed: deadline exceeded, or rolled back (even before the controller observes its own rollback)', async (t) => {
  const stuck = dep({ conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'revision 3 has timed out progressing' }] })
  t.match(rolloutVerdict(stuck), { state: 'failed', message: /exceeded its progress deadline: revision 3 has timed out/ })
  const rolled = dep({ observedGeneration: 1, rollback: { from: 2, to: 1, revision: 3, templateHash: 'h3', message: 'revision 2 failed (...); rolled back to revision 1' } })
  t.match(rolloutVerdict(rolled), { state: 'failed', message: /rollout failed: revision 2 failed .*rolled back to revision 1 \(now revision 3\)/ })
  t.match(rolloutVerdict(rolled, 3), { state: 'waiting' }, 'a newer change of the caller is waited for, not judged by an old rollback')
})

t.test('history rows: number, state, change cause', async (t) => {
  t.same(historyRows(dep({})), [
    ['1', 'complete', 'v1'],
    ['2', 'failed (ProgressDeadlineExceeded)', '<none>'],
    ['3', 'current', '<none>'],
  ])
})

t.test('undo: the previous revision by default; a clear error naming the recorded ones', async (t) => {
  t.equal(undoTarget(dep({}), undefined, 'web').revision, 2)
  t.equal(undoTarget(dep({}), 1, 'web').revision, 1)
  t.throws(() => undoTarget(dep({}), 7, 'web'), { name: 'UsageError', message: /revision 7 of deployment "web" not found: revisions 1, 2, 3 are recorded/ })
  t.throws(() => undoTarget(dep({}), 3, 'web'), { name: 'UsageError', message: /is the current revision/ })
  t.throws(() => undoTarget(dep({ revision: 1, history: [history[0]] }), undefined, 'web'), { name: 'UsageError', message: /no revision before the current one/ })
})
