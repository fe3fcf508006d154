// Sampling the nodes to rank (after kube-scheduler's percentageOfNodesToScore) never weakens the filters.
import t from 'tap'
import { numFeasibleNodesToFind } from '../../src/scheduler/sample.js'
import { schedule } from '../../src/scheduler/schedule.js'
import { verifyPlacements } from '../../src/scheduler/verify.js'
import { node, nodes, pod, replicas } from './fixtures/build.js'

t.test('how many feasible nodes are ranked', async (t) => {
  t.equal(numFeasibleNodesToFind(0), 0)
  t.equal(numFeasibleNodesToFind(80), 80, 'small clusters: all')
  t.equal(numFeasibleNodesToFind(5000), 500, '50 - 5000/125 = 10%')
  t.equal(numFeasibleNodesToFind(1000), 420, '50 - 8 = 42%')
  t.equal(numFeasibleNodesToFind(100_000), 5000, 'at least 5%')
  t.equal(numFeasibleNodesToFind(300), 144, '50 - 2 = 48%')
  t.equal(numFeasibleNodesToFind(150, 10), 100, 'never fewer than 100')
  t.equal(numFeasibleNodesToFind(5000, 100), 5000, '100% ranks all')
  t.equal(numFeasibleNodesToFind(5000, 30), 1500)
})

t.test('in a large cluster the one feasible node is still found, and reasons count every node', async (t) => {
  const many = [...nodes(400), node('special', { labels: { gpu: 'yes' } })]
  const r = schedule({ nodes: many, placed: [], pending: [pod('g', { nodeSelector: { gpu: 'yes' } }), pod('h', { nodeSelector: { gpu: 'no' } })] })
  t.same(r.placements, [{ uid: 'g', nodeName: 'special' }])
  t.equal(r.unschedulable[0]?.reason, "0/401 nodes available: 401 node(s) didn't match Pod's node selector")
})

t.test('sampled ranking still respects every filter and spreads', async (t) => {
  const input = { nodes: nodes(300, { allocatable: { cpuMillis: 1000, memoryBytes: 2 ** 30, pods: 4 } }), placed: [], pending: replicas(1000) }
  const r = schedule(input)
  t.same(verifyPlacements(input, r), [])
  t.equal(r.placements.length, 1000)
  const perNode = new Map<string, number>()
  for (const p of r.placements) perNode.set(p.nodeName, (perNode.get(p.nodeName) ?? 0) + 1)
  t.equal(perNode.size, 300, 'every node used')
  t.ok(Math.max(...perNode.values()) <= 4)
})
