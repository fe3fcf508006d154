// Each score term decides when the others tie, and the tiers are in the documented order.
import t from 'tap'
import { schedule } from '../../src/scheduler/schedule.js'
import type { SchedPod } from '../../src/scheduler/types.js'
import { GiB, node, nodes, perNode, placed, pod, replicas } from './fixtures/build.js'

const big = { cpuMillis: 8000, memoryBytes: 16 * GiB }

t.test('PreferNoSchedule: avoided when an untainted node fits, used otherwise', async (t) => {
  const soft = node('a', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }], allocatable: big })
  const busy = placed(pod('x', { requests: { cpuMillis: 3000, memoryBytes: 0 } }), 'b')
  const r = schedule({ nodes: [soft, node('b')], placed: [busy], pending: [pod('p')] })
  t.same(r.placements, [{ uid: 'p', nodeName: 'b' }], 'even a busier node beats the tainted one')
  const tol = pod('q', { tolerations: [{ key: 'k', operator: 'Exists' }] })
  t.same(schedule({ nodes: [soft, node('b')], placed: [busy], pending: [tol] }).placements, [{ uid: 'q', nodeName: 'a' }], 'tolerated: no penalty')
  t.equal(schedule({ nodes: [soft], placed: [], pending: [pod('p')] }).placements.length, 1)
})

t.test('preferred node affinity: the greatest sum of weights wins', async (t) => {
  const ns = [node('a', { labels: { disk: 'ssd' } }), node('b', { labels: { disk: 'ssd', gpu: 'yes' } }), node('c')]
  const pref = (w1: number, w2: number): SchedPod =>
    pod('p', {
      nodeAffinity: {
        preferred: [
          { weight: w1, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
          { weight: w2, preference: { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] } },
        ],
      },
    })
  t.same(schedule({ nodes: ns, placed: [], pending: [pref(10, 5)] }).placements[0]?.nodeName, 'b')
  const noGpu = [node('a', { labels: { disk: 'ssd' } }), node('c')]
  t.same(schedule({ nodes: noGpu, placed: [], pending: [pref(10, 5)] }).placements[0]?.nodeName, 'a')
})

t.test('spread: replicas of an owner go to the node with fewest of them first', async (t) => {
  // n0 is nearly empty but already runs a replica; n1 is busy with other pods.
  const ns = [node('n0', { allocatable: big }), node('n1', { allocatable: big })]
  const mine = placed(pod('m', { owner: 'deployment/default/web' }), 'n0')
  const other = placed(pod('o', { requests: { cpuMillis: 6000, memoryBytes: 8 * GiB } }), 'n1')
  const r = schedule({ nodes: ns, placed: [mine, other], pending: replicas(1) })
  t.same(r.placements, [{ uid: 'r0', nodeName: 'n1' }])
})

t.test('spread: then the zone with fewer replicas of the owner', async (t) => {
  const z = (name: string, zone: string) => node(name, { labels: { zone }, allocatable: big })
  const ns = [z('a1', 'a'), z('a2', 'a'), z('b1', 'b'), z('b2', 'b')]
  const inA = placed(pod('m', { owner: 'deployment/default/web' }), 'a1')
  // b1 is loaded with unrelated pods: least-allocated alone would pick a2.
  const load = placed(pod('l', { requests: { cpuMillis: 4000, memoryBytes: 0 } }), 'b1')
  const load2 = placed(pod('l2', { requests: { cpuMillis: 4000, memoryBytes: 0 } }), 'b2')
  const r = schedule({ nodes: ns, placed: [inA, load, load2], pending: replicas(1) })
  t.match(r.placements[0]?.nodeName, /^b/, 'zone b has no replica yet')
  const explicit = schedule({ nodes: ns, placed: [inA, load, load2], pending: replicas(1, { topologySpreadKeys: [] }) })
  t.equal(explicit.placements[0]?.nodeName, 'a2', 'without spread keys, least allocated decides')
})

t.test('spread: then least allocated', async (t) => {
  const busy = placed(pod('x', { requests: { cpuMillis: 2000, memoryBytes: 0 } }), 'n0')
  const r = schedule({ nodes: nodes(2), placed: [busy], pending: [pod('p')] })
  t.same(r.placements, [{ uid: 'p', nodeName: 'n1' }])
})

t.test('binpack: most allocated first', async (t) => {
  const busy = placed(pod('x', { requests: { cpuMillis: 2000, memoryBytes: 0 } }), 'n0')
  const r = schedule({ nodes: nodes(2), placed: [busy], pending: [pod('p')], strategy: 'binpack' })
  t.same(r.placements, [{ uid: 'p', nodeName: 'n0' }], 'cluster default')
  const own = schedule({ nodes: nodes(2), placed: [busy], pending: [pod('p', { strategy: 'binpack' })] })
  t.same(own.placements, [{ uid: 'p', nodeName: 'n0' }], "the pod's own strategy")
  const spreadPod = schedule({ nodes: nodes(2), placed: [busy], pending: [pod('p', { strategy: 'spread' })], strategy: 'binpack' })
  t.same(spreadPod.placements, [{ uid: 'p', nodeName: 'n1' }], "the pod's strategy wins over the cluster's")
})

t.test('preferences rank above the strategy', async (t) => {
  const ns = [node('n0', { labels: { disk: 'ssd' } }), node('n1')]
  const busy = placed(pod('x', { requests: { cpuMillis: 3000, memoryBytes: 0 } }), 'n0')
  const p = pod('p', { nodeAffinity: { preferred: [{ weight: 1, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } }] } })
  t.same(schedule({ nodes: ns, placed: [busy], pending: [p] }).placements[0]?.nodeName, 'n0')
})

t.test('tie-break: deterministic, seeded, independent of node order', async (t) => {
  const ns = nodes(20)
  const pick = (seed: number, list = ns) => schedule({ nodes: list, placed: [], pending: [pod('p')], seed }).placements[0]?.nodeName
  t.equal(pick(1), pick(1), 'same seed, same node')
  t.equal(pick(1, [...ns].reverse()), pick(1), 'node order does not matter')
  const chosen = new Set(Array.from({ length: 20 }, (_, s) => pick(s)))
  t.ok(chosen.size > 3, `seeds pick different nodes among equals (${chosen.size} distinct)`)
})

t.test('spread evenly over identical empty nodes', async (t) => {
  const r = schedule({ nodes: nodes(4), placed: [], pending: replicas(10) })
  const counts = [...perNode(r.placements).values()]
  t.equal(counts.length, 4)
  t.ok(Math.max(...counts) - Math.min(...counts) <= 1, `counts ${counts}`)
})
