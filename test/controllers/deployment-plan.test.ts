// The Deployment controller's pure decision: scale up and down (newest first), replace failed and
// lost pods, recover or remove lost pods when their node returns, and rolling-update arithmetic.
import t from 'tap'
import fc from 'fast-check'
import { planDeployment, rolloutLimits, type DeploymentView, type NodeHealth, type ReplicaView } from '../../src/controllers/deployment-plan.js'

const H = 'hash000001'
const NOW = Date.parse('2026-01-01T00:01:00Z')
const dep = (replicas: number, over: Partial<DeploymentView> = {}): DeploymentView => ({ replicas, templateHash: H, strategy: 'RollingUpdate', maxSurge: 1, maxUnavailable: 1, minReadySeconds: 0, paused: false, ...over })
const pod = (name: string, over: Partial<ReplicaView> = {}): ReplicaView => ({
  name,
  templateHash: H,
  nodeName: 'n1',
  phase: 'Running',
  ready: true,
  lost: false,
  evicting: false,
  created: `2026-01-01T00:00:0${name.slice(-1)}Z`,
  ...over,
})
const ready = (): NodeHealth => 'Ready'

t.test('scale up creates the missing replicas', async (t) => {
  const plan = planDeployment({ now: NOW, deployment: dep(3), pods: [pod('p1')], nodeHealth: ready })
  t.equal(plan.create, 2)
  t.same(plan.remove, [])
})

t.test('scale down removes the newest first, unscheduled and not-ready pods before them', async (t) => {
  const pods = [pod('p1'), pod('p2'), pod('p3'), pod('p4')]
  t.same(planDeployment({ now: NOW, deployment: dep(2), pods, nodeHealth: ready }).remove.map((r) => r.name), ['p4', 'p3'])
  const mixed = [pod('p1', { ready: false }), pod('p2'), pod('p3'), pod('p4')]
  t.same(planDeployment({ now: NOW, deployment: dep(2), pods: mixed, nodeHealth: ready }).remove.map((r) => r.name), ['p1', 'p4'])
  const { nodeName: _n, ...unbound } = pod('p1')
  const withPending = [unbound, pod('p2'), pod('p3')]
  t.same(planDeployment({ now: NOW, deployment: dep(2), pods: withPending, nodeHealth: ready }).remove.map((r) => r.name), ['p1'])
})

t.test('a failed pod is removed and replaced', async (t) => {
  const plan = planDeployment({ now: NOW, deployment: dep(2), pods: [pod('p1'), pod('p2', { phase: 'Failed', ready: false })], nodeHealth: ready })
  t.same(plan.remove, [{ name: 'p2', reason: 'failed' }])
  t.equal(plan.create, 1)
})

t.test('lost pods do not count while their node is NotReady, and are kept', async (t) => {
  const pods = [pod('p1'), pod('p2', { nodeName: 'dead', lost: true, ready: false })]
  const plan = planDeployment({ now: NOW, deployment: dep(2), pods, nodeHealth: (n) => (n === 'dead' ? 'NotReady' : 'Ready') })
  t.equal(plan.create, 1)
  t.same(plan.remove, [])
})

t.test('when the node returns, a replaced lost pod is removed; one still needed is recovered', async (t) => {
  const pods = [pod('p1'), pod('p2'), pod('p3', { nodeName: 'back', lost: true, ready: false })]
  const replaced = planDeployment({ now: NOW, deployment: dep(2), pods, nodeHealth: ready })
  t.same(replaced, { create: 0, remove: [{ name: 'p3', reason: 'replaced' }], recover: [] })
  const needed = planDeployment({ now: NOW, deployment: dep(3), pods, nodeHealth: ready })
  t.same(needed, { create: 0, remove: [], recover: ['p3'] })
})

t.test('a lost pod whose node object is gone is removed', async (t) => {
  const plan = planDeployment({ now: NOW, deployment: dep(1), pods: [pod('p1', { nodeName: 'gone', lost: true })], nodeHealth: () => 'Absent' })
  t.same(plan.remove, [{ name: 'p1', reason: 'nodeGone' }])
  t.equal(plan.create, 1)
})

t.test('an evicting pod is replaced first and not counted', async (t) => {
  const plan = planDeployment({ now: NOW, deployment: dep(2), pods: [pod('p1'), pod('p2', { evicting: true })], nodeHealth: ready })
  t.equal(plan.create, 1)
  t.same(plan.remove, [])
})

t.test('rolling update: 4 replicas, surge 1, unavailable 1: one old pod removed, so two new pods fit', async (t) => {
  const old = ['p1', 'p2', 'p3', 'p4'].map((n) => pod(n, { templateHash: 'old' }))
  const plan = planDeployment({ now: NOW, deployment: dep(4), pods: old, nodeHealth: ready })
  t.equal(plan.create, 2)
  t.equal(plan.remove.length, 1)
  t.equal(plan.remove[0]!.reason, 'outdated')
})

t.test('Recreate removes every old pod before creating new ones', async (t) => {
  const old = ['p1', 'p2'].map((n) => pod(n, { templateHash: 'old' }))
  const plan = planDeployment({ now: NOW, deployment: dep(2, { strategy: 'Recreate' }), pods: old, nodeHealth: ready })
  t.same(plan, { create: 0, remove: [{ name: 'p1', reason: 'outdated' }, { name: 'p2', reason: 'outdated' }], recover: [] })
  t.equal(planDeployment({ now: NOW, deployment: dep(2, { strategy: 'Recreate' }), pods: [], nodeHealth: ready }).create, 2)
})

t.test('rollout limits round surge up and unavailable down, never both zero', async (t) => {
  t.same(rolloutLimits(6, '25%', '25%'), { maxSurge: 2, maxUnavailable: 1 })
  t.same(rolloutLimits(1, '25%', '25%'), { maxSurge: 1, maxUnavailable: 0 })
  t.same(rolloutLimits(3, 0, 0), { maxSurge: 0, maxUnavailable: 1 })
  t.same(rolloutLimits(10, 3, '50%'), { maxSurge: 3, maxUnavailable: 5 })
})

t.test('property: applying plans converges to exactly `replicas` active pods of the current template', async (t) => {
  const seed = Number(process.env.SEED ?? Date.now() % 100_000)
  t.comment(`seed ${seed} (replay with SEED=${seed})`)
  const podArb = fc.record({
    hash: fc.constantFrom(H, 'old'),
    phase: fc.constantFrom('Running', 'Pending', 'Failed'),
    ready: fc.boolean(),
    lost: fc.boolean(),
    node: fc.constantFrom('n1', 'n2', 'dead'),
  })
  fc.assert(
    fc.property(fc.nat(8), fc.array(podArb, { maxLength: 10 }), fc.constantFrom<'RollingUpdate' | 'Recreate'>('RollingUpdate', 'Recreate'), (replicas, specs, strategy) => {
      const health = (n: string): NodeHealth => (n === 'dead' ? 'NotReady' : 'Ready')
      let pods: ReplicaView[] = specs.map((s, i) => pod(`p${i}`, { templateHash: s.hash, phase: s.phase, ready: s.ready && s.phase === 'Running', lost: s.lost, nodeName: s.node, created: `t${String(i).padStart(3, '0')}` }))
      let next = specs.length
      for (let round = 0; round < 20; round++) {
        const plan = planDeployment({ now: NOW, deployment: dep(replicas, { strategy }), pods, nodeHealth: health })
        // An empty plan while some pod is not ready yet is a rollout waiting for it (seed 24765), not the end.
        const settled = pods.every((p) => p.phase === 'Failed' || p.lost || p.ready)
        if (plan.create === 0 && plan.remove.length === 0 && plan.recover.length === 0 && settled) break
        const gone = new Set(plan.remove.map((r) => r.name))
        pods = pods.filter((p) => !gone.has(p.name)).map((p) => (plan.recover.includes(p.name) ? { ...p, lost: false } : p))
        // New pods start, and every live pod turns ready, before the next round (else a rollout rightly stalls).
        for (let i = 0; i < plan.create; i++) pods.push(pod(`n${next}`, { created: `t${String(next++).padStart(3, '0')}`, nodeName: 'n1' }))
        pods = pods.map((p) => (p.phase !== 'Failed' && !p.lost ? { ...p, phase: 'Running', ready: true } : p))
      }
      const active = pods.filter((p) => !p.lost && p.phase !== 'Failed')
      return active.length === replicas && active.every((p) => p.templateHash === H)
    }),
    { seed, numRuns: 300 },
  )
})
