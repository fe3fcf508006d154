// Pods go in two writes when they may be in a Service's endpoints: the drain's eviction and the
// collection of a deleted Deployment's pods mark a running pod terminating first, like a rolling update.
import t from 'tap'
import type { ReplicaView } from '../../src/controllers/deployment-plan.js'
import { planRemoval, removalOp } from '../../src/controllers/pod-removal.js'
import type { StoredObject } from '../../src/state/store.js'

const NOW = Date.parse('2026-03-01T10:00:00.000Z')

function stored(name: string, status: Record<string, unknown>, metadata: Record<string, unknown> = {}): StoredObject {
  return {
    kind: 'Pod',
    namespace: 'default',
    name,
    uid: `uid-${name}`,
    resourceVersion: 7,
    generation: 1,
    creationTimestamp: '2026-03-01T09:00:00.000Z',
    object: { metadata: { name, namespace: 'default', ...metadata }, spec: { nodeName: 'n1', containers: [] }, status },
  }
}

const running = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-03-01T09:01:00.000Z' }] }

t.test('removalOp: a running pod is marked terminating until deleteAt, compare-and-set on its version', async (t) => {
  const op = removalOp(stored('a', running), NOW + 2_000)
  t.equal(op.op, 'put')
  t.match(op, { kind: 'Pod', name: 'a', ifVersion: 7, object: { metadata: { name: 'a', deletionTimestamp: '2026-03-01T10:00:02.000Z' }, status: running } })
})

t.test('removalOp: a pod that is not running, is lost, or already terminates is deleted at once', async (t) => {
  t.same(removalOp(stored('p', { phase: 'Pending' }), NOW + 2_000), { op: 'delete', kind: 'Pod', namespace: 'default', name: 'p', ifVersion: 7 })
  t.equal(removalOp(stored('l', { ...running, reason: 'NodeLost' }), NOW).op, 'delete', 'lost: its node is gone or cut off, no agent routes to it')
  t.equal(removalOp(stored('f', { phase: 'Failed' }), NOW).op, 'delete')
  t.equal(removalOp(stored('d', running, { deletionTimestamp: '2026-03-01T09:59:59.000Z' }), NOW).op, 'delete', 'terminating already: the second step')
})

t.test('planRemoval: what a deleted Deployment leaves goes in two steps when it runs', async (t) => {
  const v = (name: string, over: Partial<ReplicaView> = {}): ReplicaView => ({ name, templateHash: 'h', nodeName: 'n1', phase: 'Running', ready: true, lost: false, evicting: false, created: '2026-03-01T09:00:00.000Z', ...over })
  const plan = planRemoval([v('run'), v('pending', { phase: 'Pending', ready: false }), v('due', { deleteAt: NOW - 1_000 }), v('later', { deleteAt: NOW + 1_000 }), v('lost', { lost: true, ready: false })], NOW, 2_000)
  t.same(plan.terminate, ['run'], 'a running pod leaves rotation first')
  t.same(plan.delete, ['pending', 'due', 'lost'], 'others, and terminating pods that are due, are deleted')
  t.equal(plan.wakeAt, NOW + 1_000, 'look again when the first termination falls due')
  t.same(planRemoval([v('run')], NOW, 2_000).wakeAt, NOW + 2_000, 'a pod just marked falls due after the drain delay')
  t.same(planRemoval([], NOW, 2_000), { terminate: [], delete: [] }, 'nothing to do, no wake')
})
