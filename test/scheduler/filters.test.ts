// Each feasibility filter, alone: a node that fails it is rejected under its reason, and the
// pod goes to the node that passes.
import t, { type Test } from 'tap'
import { emptyCounts, type FilterReason } from '../../src/scheduler/reasons.js'
import { schedule } from '../../src/scheduler/schedule.js'
import type { PlacedPod, SchedNode, SchedPod } from '../../src/scheduler/types.js'
import { GiB, node, pod } from './fixtures/build.js'

/**
 * Schedules one pod on [bad, good]: it must land on good, and alone on bad it must fail with `reason`.
 * The good node is a default node carrying `goodLabels`.
 */
function rejects(t: Test, reason: FilterReason, bad: SchedNode, p: SchedPod, placedOnBad: SchedPod[] = [], goodLabels: Record<string, string> = {}) {
  const good = node('good', { labels: { ...p.nodeSelector, ...goodLabels } })
  const placed: PlacedPod[] = placedOnBad.map((q) => ({ ...q, nodeName: bad.name }))
  const both = schedule({ nodes: [bad, good], placed, pending: [p] })
  t.same(both.placements, [{ uid: p.uid, nodeName: 'good' }], `${reason}: goes to the good node`)
  const alone = schedule({ nodes: [bad], placed, pending: [p] })
  const counts = { ...emptyCounts(), [reason]: 1 }
  t.same(alone.unschedulable, [{ uid: p.uid, reason: alone.unschedulable[0]?.reason, counts }], `${reason}: counted`)
  return alone.unschedulable[0]?.reason
}

t.test('node not ready', async (t) => {
  const reason = rejects(t, 'NodeNotReady', node('bad', { ready: false }), pod('p'))
  t.equal(reason, '0/1 nodes available: 1 node(s) were not ready')
})

t.test('cordoned', async (t) => {
  const reason = rejects(t, 'NodeCordoned', node('bad', { unschedulable: true }), pod('p'))
  t.equal(reason, '0/1 nodes available: 1 node(s) were cordoned')
})

t.test('a node that runs no pods (room for 0: --runtime none), whatever the pod tolerates', async (t) => {
  const none = node('bad', { allocatable: { cpuMillis: 4000, memoryBytes: 8 * GiB, pods: 0 } })
  const reason = rejects(t, 'NoPodRuntime', none, pod('p', { requests: { cpuMillis: 0, memoryBytes: 0 }, tolerations: [{ operator: 'Exists' }] }))
  t.equal(reason, '0/1 nodes available: 1 node(s) run no pods')
})

t.test('taints: NoSchedule and NoExecute reject, tolerations admit', async (t) => {
  rejects(t, 'UntoleratedTaint', node('bad', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }), pod('p'))
  rejects(t, 'UntoleratedTaint', node('bad', { taints: [{ key: 'k', effect: 'NoExecute' }] }), pod('p'))
  const tainted = node('x', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] })
  const fits = (p: SchedPod) => schedule({ nodes: [tainted], placed: [], pending: [p] }).placements.length === 1
  t.ok(fits(pod('a', { tolerations: [{ key: 'k', operator: 'Equal', value: 'v' }] })), 'Equal with the value')
  t.ok(fits(pod('b', { tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }] })), 'Exists on the key')
  t.ok(fits(pod('c', { tolerations: [{ operator: 'Exists' }] })), 'Exists without key tolerates all')
  t.notOk(fits(pod('d', { tolerations: [{ key: 'k', operator: 'Equal', value: 'w' }] })), 'wrong value')
  t.notOk(fits(pod('e', { tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute' }] })), 'wrong effect')
  const soft = node('s', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] })
  t.equal(schedule({ nodes: [soft], placed: [], pending: [pod('f')] }).placements.length, 1, 'PreferNoSchedule does not filter')
})

t.test('node selector', async (t) => {
  const reason = rejects(t, 'NodeSelectorMismatch', node('bad', { labels: { disk: 'hdd' } }), pod('p', { nodeSelector: { disk: 'ssd' } }))
  t.equal(reason, "0/1 nodes available: 1 node(s) didn't match Pod's node selector")
})

t.test('node affinity: terms ORed, expressions ANDed, every operator', async (t) => {
  const n = node('n', { labels: { zone: 'a', gen: '5', ssd: 'true' } })
  const fits = (required: NonNullable<SchedPod['nodeAffinity']>['required']) =>
    schedule({ nodes: [n], placed: [], pending: [pod('p', { nodeAffinity: { required } })] }).placements.length === 1
  const expr = (key: string, operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt', values?: string[]) => ({
    matchExpressions: [{ key, operator, ...(values ? { values } : {}) }],
  })
  t.ok(fits([expr('zone', 'In', ['a', 'b'])]))
  t.notOk(fits([expr('zone', 'In', ['b'])]))
  t.ok(fits([expr('zone', 'NotIn', ['b'])]))
  t.ok(fits([expr('missing', 'NotIn', ['b'])]), 'NotIn matches an absent label')
  t.notOk(fits([expr('zone', 'NotIn', ['a'])]))
  t.ok(fits([expr('ssd', 'Exists')]))
  t.notOk(fits([expr('gpu', 'Exists')]))
  t.ok(fits([expr('gpu', 'DoesNotExist')]))
  t.ok(fits([expr('gen', 'Gt', ['4'])]))
  t.notOk(fits([expr('gen', 'Gt', ['5'])]))
  t.ok(fits([expr('gen', 'Lt', ['6'])]))
  t.notOk(fits([expr('zone', 'Lt', ['6'])]), 'Lt on a non-integer label')
  t.notOk(fits([expr('missing', 'Gt', ['1'])]))
  t.ok(fits([expr('zone', 'In', ['b']), expr('ssd', 'Exists')]), 'terms ORed')
  t.notOk(fits([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gpu', operator: 'Exists' }] }]), 'expressions ANDed')
  t.notOk(fits([{}]), 'an empty term matches nothing')
  t.ok(fits([]), 'no term: no constraint')
  t.ok(fits([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }] }]), 'matchFields metadata.name')
  const bad = node('bad', { labels: { gpu: 'true' } })
  rejects(t, 'NodeAffinityMismatch', bad, pod('p', { nodeAffinity: { required: [expr('gpu', 'DoesNotExist')] } }))
  const reason = rejects(t, 'NodeAffinityMismatch', node('bad'), pod('q', { nodeAffinity: { required: [expr('zone', 'In', ['a'])] } }), [], { zone: 'a' })
  t.equal(reason, "0/1 nodes available: 1 node(s) didn't match Pod's node affinity")
})

t.test('insufficient cpu, counting placed pods', async (t) => {
  const bad = node('bad', { allocatable: { cpuMillis: 1000, memoryBytes: 8 * GiB } })
  const reason = rejects(t, 'InsufficientCpu', bad, pod('p', { requests: { cpuMillis: 600, memoryBytes: 0 } }), [
    pod('x', { requests: { cpuMillis: 500, memoryBytes: 0 } }),
  ])
  t.equal(reason, '0/1 nodes available: 1 insufficient cpu')
  const exact = schedule({ nodes: [bad], placed: [], pending: [pod('y', { requests: { cpuMillis: 1000, memoryBytes: 0 } })] })
  t.equal(exact.placements.length, 1, 'a request equal to what is free fits')
})

t.test('insufficient memory', async (t) => {
  const bad = node('bad', { allocatable: { cpuMillis: 4000, memoryBytes: GiB } })
  const reason = rejects(t, 'InsufficientMemory', bad, pod('p', { requests: { cpuMillis: 0, memoryBytes: 2 * GiB } }))
  t.equal(reason, '0/1 nodes available: 1 insufficient memory')
})

t.test('too many pods', async (t) => {
  const bad = node('bad', { allocatable: { cpuMillis: 4000, memoryBytes: 8 * GiB, pods: 1 } })
  const reason = rejects(t, 'TooManyPods', bad, pod('p'), [pod('x')])
  t.equal(reason, '0/1 nodes available: 1 too many pods')
  const unlimited = node('u', { allocatable: { cpuMillis: 4000, memoryBytes: 8 * GiB } })
  const many = Array.from({ length: 300 }, (_, i) => pod(`z${i}`, { requests: { cpuMillis: 0, memoryBytes: 0 } }))
  t.equal(schedule({ nodes: [unlimited], placed: [], pending: many }).placements.length, 300, 'no limit when pods is absent')
})

t.test('host ports: same protocol and port conflict when addresses overlap', async (t) => {
  const web = (uid: string, hostIP?: string, protocol: 'TCP' | 'UDP' = 'TCP') =>
    pod(uid, { hostPorts: [{ hostPort: 80, protocol, ...(hostIP !== undefined ? { hostIP } : {}) }] })
  const reason = rejects(t, 'HostPortConflict', node('bad'), web('p'), [web('x')])
  t.equal(reason, "0/1 nodes available: 1 node(s) didn't have free ports for the requested pod ports")
  const one = [node('n')]
  const fit = (a: SchedPod, b: SchedPod) => schedule({ nodes: one, placed: [{ ...a, nodeName: 'n' }], pending: [b] }).placements.length === 1
  t.notOk(fit(web('a', '10.0.0.1'), web('b', '10.0.0.1')), 'same IP')
  t.ok(fit(web('a', '10.0.0.1'), web('b', '10.0.0.2')), 'different IPs')
  t.notOk(fit(web('a', '0.0.0.0'), web('b', '10.0.0.2')), '0.0.0.0 conflicts with every IP')
  t.notOk(fit(web('a', '10.0.0.1'), web('b', '')), 'empty conflicts with every IP')
  t.notOk(fit(web('a', '10.0.0.1'), web('b')), 'absent conflicts with every IP')
  t.ok(fit(web('a'), web('b', undefined, 'UDP')), 'other protocol')
  t.ok(fit(pod('a', { hostPorts: [{ hostPort: 0, protocol: 'TCP' }] }), pod('b', { hostPorts: [{ hostPort: 0, protocol: 'TCP' }] })), 'port 0 is no host port')
  const two = schedule({ nodes: one, placed: [], pending: [web('c'), web('d')] })
  t.equal(two.placements.length, 1, 'a newly placed pod holds its port for the next one')
})

t.test('a zero request fits a node placed pods over-commit', async (t) => {
  const full = node('n', { allocatable: { cpuMillis: 100, memoryBytes: GiB } })
  const r = schedule({
    nodes: [full],
    placed: [{ ...pod('x', { requests: { cpuMillis: 500, memoryBytes: 0 } }), nodeName: 'n' }],
    pending: [pod('zero', { requests: { cpuMillis: 0, memoryBytes: 0 } }), pod('one', { requests: { cpuMillis: 1, memoryBytes: 0 } })],
  })
  t.same(r.placements, [{ uid: 'zero', nodeName: 'n' }])
  t.equal(r.unschedulable[0]?.counts.InsufficientCpu, 1)
})

t.test('each node is counted under the first filter it fails', async (t) => {
  const r = schedule({
    nodes: [
      node('a', { unschedulable: true, ready: false }),
      node('b', { unschedulable: true, allocatable: { cpuMillis: 0, memoryBytes: 0 } }),
      node('c', { allocatable: { cpuMillis: 4000, memoryBytes: 1 } }),
      node('d', { allocatable: { cpuMillis: 4000, memoryBytes: 1 } }),
    ],
    placed: [],
    pending: [pod('p')],
  })
  t.equal(r.unschedulable[0]?.reason, '0/4 nodes available: 2 insufficient memory, 1 node(s) were cordoned, 1 node(s) were not ready')
})
