import t from 'tap'
import { InvalidScheduleInputError } from '../../src/scheduler/errors.js'
import { explainPod } from '../../src/scheduler/explain.js'
import { schedule } from '../../src/scheduler/schedule.js'
import { GiB, node, placed, pod } from './fixtures/build.js'

t.test('lists every failing filter per node, feasible nodes first, best first', async (t) => {
  const e = explainPod({
    nodes: [
      node('cordoned-small', { unschedulable: true, allocatable: { cpuMillis: 10, memoryBytes: GiB } }),
      node('busy'),
      node('idle'),
      node('tainted', { taints: [{ key: 'k', effect: 'NoSchedule' }] }),
    ],
    placed: [placed(pod('x', { requests: { cpuMillis: 2000, memoryBytes: 0 } }), 'busy')],
    pod: pod('p'),
  })
  t.equal(e.uid, 'p')
  t.equal(e.totalNodes, 4)
  t.equal(e.feasibleNodes, 2)
  t.equal(e.summary, '2/4 nodes available')
  t.same(
    e.nodes.map((n) => [n.nodeName, n.reasons.map((r) => r.reason)]),
    [
      ['idle', []],
      ['busy', []],
      ['cordoned-small', ['NodeCordoned', 'InsufficientCpu']],
      ['tainted', ['UntoleratedTaint']],
    ],
  )
  t.equal(e.nodes[2]?.reasons[0]?.text, 'node(s) were cordoned')
  t.ok(e.nodes[0]?.score, 'feasible nodes carry their score')
  t.equal(e.nodes[3]?.score, undefined)
})

t.test('when nothing fits, the summary is the one schedule() gives', async (t) => {
  const input = { nodes: [node('a', { ready: false }), node('b', { allocatable: { cpuMillis: 0, memoryBytes: 0 } })], placed: [] }
  const p = pod('p')
  const e = explainPod({ ...input, pod: p })
  const r = schedule({ ...input, pending: [p] })
  t.equal(e.feasibleNodes, 0)
  t.equal(e.summary, r.unschedulable[0]?.reason)
  t.equal(e.summary, '0/2 nodes available: 1 insufficient cpu, 1 node(s) were not ready')
})

t.test('invalid input is a named error', async (t) => {
  t.throws(() => schedule({ nodes: [node('a'), node('a')], placed: [], pending: [] }), { name: 'InvalidScheduleInputError' })
  t.throws(() => schedule({ nodes: [], placed: [], pending: [pod('p'), pod('p')] }), InvalidScheduleInputError)
  t.throws(() => schedule({ nodes: [], placed: [placed(pod('p'), 'a')], pending: [pod('p')] }), { name: 'InvalidScheduleInputError' })
  t.throws(() => schedule({ nodes: [], placed: [], pending: [pod('p', { requests: { cpuMillis: -1, memoryBytes: 0 } })] }), {
    name: 'InvalidScheduleInputError',
  })
  t.throws(() => schedule({ nodes: [node('a', { allocatable: { cpuMillis: NaN, memoryBytes: 0 } })], placed: [], pending: [] }), {
    name: 'InvalidScheduleInputError',
  })
  t.throws(() => explainPod({ nodes: [node('a'), node('a')], placed: [], pod: pod('p') }), { name: 'InvalidScheduleInputError' })
})

t.test('placed pods on unknown nodes are ignored', async (t) => {
  const r = schedule({ nodes: [node('a')], placed: [placed(pod('x', { requests: { cpuMillis: 4000, memoryBytes: 0 } }), 'gone')], pending: [pod('p')] })
  t.same(r.placements, [{ uid: 'p', nodeName: 'a' }])
})
