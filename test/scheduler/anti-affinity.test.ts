// Required and preferred pod anti-affinity, both directions, hostname and zone domains, namespaces.
import t from 'tap'
import { schedule } from '../../src/scheduler/schedule.js'
import type { PodAffinityTerm, SchedPod } from '../../src/scheduler/types.js'
import { node, nodes, perNode, placed, pod } from './fixtures/build.js'

const HOST = 'kubernetes.io/hostname'
const ZONE = 'topology.kubernetes.io/zone'

function avoid(app: string, topologyKey: string, over: Partial<PodAffinityTerm> = {}): PodAffinityTerm {
  return { labelSelector: { matchLabels: { app } }, topologyKey, ...over }
}

function web(uid: string, term: PodAffinityTerm = avoid('web', HOST)): SchedPod {
  return pod(uid, { labels: { app: 'web' }, owner: 'deployment/default/web', podAntiAffinity: { required: [term] } })
}

t.test('one replica per host: the fourth replica on three nodes fits nowhere', async (t) => {
  const r = schedule({ nodes: nodes(3), placed: [], pending: [web('a'), web('b'), web('c'), web('d')] })
  t.equal(r.placements.length, 3)
  t.same([...perNode(r.placements).values()], [1, 1, 1])
  t.equal(r.unschedulable[0]?.uid, 'd')
  t.equal(r.unschedulable[0]?.reason, "0/3 nodes available: 3 node(s) didn't match pod anti-affinity rules")
})

t.test("existing pods' anti-affinity keeps matching newcomers out", async (t) => {
  const guard = placed(pod('guard', { podAntiAffinity: { required: [avoid('web', HOST)] } }), 'n0')
  const plain = pod('p', { labels: { app: 'web' } })
  const r = schedule({ nodes: nodes(1), placed: [guard], pending: [plain] })
  t.equal(r.unschedulable[0]?.reason, "0/1 nodes available: 1 node(s) didn't satisfy existing pods anti-affinity rules")
  const r2 = schedule({ nodes: nodes(2), placed: [guard], pending: [plain] })
  t.same(r2.placements, [{ uid: 'p', nodeName: 'n1' }])
  const other = pod('q', { labels: { app: 'db' } })
  t.same(schedule({ nodes: nodes(1), placed: [guard], pending: [other] }).placements, [{ uid: 'q', nodeName: 'n0' }], 'non-matching pods are welcome')
})

t.test('zone topology: one replica per zone', async (t) => {
  const zoned = [
    node('a1', { labels: { [ZONE]: 'a' } }),
    node('a2', { labels: { [ZONE]: 'a' } }),
    node('b1', { labels: { [ZONE]: 'b' } }),
  ]
  const term = avoid('web', ZONE)
  const r = schedule({ nodes: zoned, placed: [], pending: [web('x', term), web('y', term), web('z', term)] })
  t.equal(r.placements.length, 2)
  const zones = r.placements.map((p) => p.nodeName[0]).sort()
  t.same(zones, ['a', 'b'])
  t.equal(r.unschedulable[0]?.counts.PodAntiAffinity, 3)
})

t.test('a node without the topology label is outside every domain', async (t) => {
  const term = avoid('web', ZONE)
  const r = schedule({ nodes: [node('bare'), node('bare2')], placed: [], pending: [web('x', term), web('y', term)] })
  t.equal(r.placements.length, 2)
})

t.test('namespaces: a term sees its own namespace unless told otherwise', async (t) => {
  const other = placed(pod('o', { namespace: 'other', labels: { app: 'web' } }), 'n0')
  const same = schedule({ nodes: nodes(1), placed: [other], pending: [web('p')] })
  t.equal(same.placements.length, 1, 'pods of another namespace do not count')
  const cross = schedule({ nodes: nodes(1), placed: [other], pending: [web('p', avoid('web', HOST, { namespaces: ['other'] }))] })
  t.equal(cross.placements.length, 0, 'unless the term names their namespace')
})

t.test('selectors with expressions are matched exactly (no index shortcut)', async (t) => {
  const term: PodAffinityTerm = {
    labelSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['canary'] }] },
    topologyKey: HOST,
  }
  const canary = placed(pod('c', { labels: { app: 'web', tier: 'canary' } }), 'n0')
  const stable = placed(pod('s', { labels: { app: 'web', tier: 'stable' } }), 'n1')
  const r = schedule({ nodes: nodes(3), placed: [canary, stable], pending: [web('p', term)] })
  t.equal(r.placements.length, 1)
  t.not(r.placements[0]?.nodeName, 'n1')
  const exists: PodAffinityTerm = { labelSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, topologyKey: HOST }
  const r2 = schedule({ nodes: nodes(3), placed: [canary, stable], pending: [web('q', exists)] })
  t.same(r2.placements, [{ uid: 'q', nodeName: 'n2' }], 'a selector without anchor')
})

t.test('preferred anti-affinity: avoid the domain with the most weight of matching pods', async (t) => {
  const x = placed(pod('x', { labels: { app: 'cache' } }), 'n0')
  const y = placed(pod('y', { labels: { app: 'cache' } }), 'n1')
  const z = placed(pod('z', { labels: { app: 'cache' } }), 'n1')
  const p = pod('p', { podAntiAffinity: { preferred: [{ weight: 10, podAffinityTerm: avoid('cache', HOST) }] } })
  const full = { allocatable: { cpuMillis: 4000, memoryBytes: 8 * 1024 ** 3 } }
  const r = schedule({ nodes: [node('n0', full), node('n1', full)], placed: [x, y, z], pending: [p] })
  t.same(r.placements, [{ uid: 'p', nodeName: 'n0' }], 'fewer matching pods wins')
  const r2 = schedule({ nodes: [node('n0'), node('n1')], placed: [x, y, z], pending: [p, pod('p2', { podAntiAffinity: p.podAntiAffinity })] })
  t.equal(r2.placements.length, 2, 'still only a preference: both placed')
})
