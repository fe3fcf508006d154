// The scheduling round over stored objects: Node and Pod JSON in, bindings and the Kubernetes-style
// reason for pods that fit nowhere out.
import t from 'tap'
import { planScheduling } from '../../src/controllers/schedule-plan.js'
import { schedPod } from '../../src/controllers/sched-adapter.js'
import type { StoredObject } from '../../src/state/store.js'

let rv = 0
const stored = (kind: string, namespace: string, name: string, object: Record<string, unknown>, created = '2026-01-01T00:00:00Z'): StoredObject => ({ kind, namespace, name, object, uid: `${kind}-${name}`, resourceVersion: ++rv, generation: 1, creationTimestamp: created })
const node = (name: string, over: { memory?: string; unschedulable?: boolean; ready?: boolean } = {}) =>
  stored('Node', '', name, {
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: { unschedulable: over.unschedulable ?? false },
    status: { allocatable: { cpu: '2', memory: over.memory ?? '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: over.ready === false ? 'False' : 'True' }] },
  })
const pod = (name: string, memory: string, nodeName?: string, owner = 'web') =>
  stored('Pod', 'default', name, {
    metadata: { name, namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ kind: 'Deployment', name: owner, uid: 'd1', controller: true }] },
    spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m', memory } } }], ...(nodeName ? { nodeName } : {}) },
    status: { phase: 'Pending' },
  }, `2026-01-01T00:00:0${name.slice(-1)}Z`)

t.test('six replicas spread 2/2/2 over three nodes', async (t) => {
  const nodes = [node('a'), node('b'), node('c')]
  const pods = [1, 2, 3, 4, 5, 6].map((i) => pod(`web-${i}`, '64Mi'))
  const plan = planScheduling(nodes, pods, 1)
  t.equal(plan.bind.length, 6)
  const per = new Map<string, number>()
  for (const b of plan.bind) per.set(b.nodeName, (per.get(b.nodeName) ?? 0) + 1)
  t.same([...per.values()], [2, 2, 2])
})

t.test('a pod that fits nowhere gets the reason, counted per node', async (t) => {
  const nodes = [node('a', { memory: '1Gi' }), node('b', { memory: '1Gi' }), node('c', { unschedulable: true })]
  const plan = planScheduling(nodes, [pod('big-1', '8Gi')], 1)
  t.same(plan.bind, [])
  t.equal(plan.unschedulable[0]?.message, '0/3 nodes available: 2 insufficient memory, 1 node(s) were cordoned')
})

t.test('placed pods use capacity: the last pod does not fit', async (t) => {
  const nodes = [node('a', { memory: '1Gi' })]
  const plan = planScheduling(nodes, [pod('p-1', '768Mi', 'a'), pod('p-2', '512Mi')], 1)
  t.equal(plan.unschedulable.length, 1)
  t.match(plan.unschedulable[0]!.message, /insufficient memory/)
})

t.test('the adapter carries the owner, requests and placement annotation', async (t) => {
  const p = stored('Pod', 'default', 'x', {
    metadata: { name: 'x', annotations: { 'podmesh.io/placement': 'binpack' }, ownerReferences: [{ kind: 'Deployment', name: 'web', uid: 'u', controller: true }] },
    spec: { containers: [{ name: 'a', image: 'i', resources: { requests: { cpu: '250m', memory: '1Gi' } } }, { name: 'b', image: 'i', resources: { requests: { cpu: '1' } } }] },
  })
  t.match(schedPod(p), { owner: 'deployment/default/web', strategy: 'binpack', requests: { cpuMillis: 1250, memoryBytes: 1024 ** 3 } })
})
