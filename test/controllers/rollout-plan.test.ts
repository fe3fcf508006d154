// The rolling-update side of the Deployment planner: availability after minReadySeconds, terminating
// pods (out of rotation, deleted when due), paused deployments, and a seeded simulation of whole
// rollouts checking that availability never drops below replicas - maxUnavailable.
import t from 'tap'
import { isAvailable, planDeployment, removalKind, type DeploymentView, type ReplicaView } from '../../src/controllers/deployment-plan.js'

const NEW = 'newhash001'
const OLD = 'oldhash001'
const T0 = Date.parse('2026-01-01T00:00:00Z')
const dep = (replicas: number, over: Partial<DeploymentView> = {}): DeploymentView => ({
  replicas,
  templateHash: NEW,
  strategy: 'RollingUpdate',
  maxSurge: 1,
  maxUnavailable: 0,
  minReadySeconds: 0,
  paused: false,
  ...over,
})
const pod = (name: string, over: Partial<ReplicaView> = {}): ReplicaView => ({
  name,
  templateHash: OLD,
  nodeName: 'n1',
  phase: 'Running',
  ready: true,
  lost: false,
  evicting: false,
  created: `2025-12-31T00:00:0${name.slice(-1)}Z`,
  readySince: T0 - 60_000,
  ...over,
})
const health = () => 'Ready' as const

t.test('a new pod counts as available only once Ready for minReadySeconds', async (t) => {
  const fresh = pod('n1', { templateHash: NEW, readySince: T0 })
  t.notOk(isAvailable(fresh, 5, T0 + 4_999))
  t.ok(isAvailable(fresh, 5, T0 + 5_000))
  t.ok(isAvailable(fresh, 0, T0))
  t.notOk(isAvailable({ ...fresh, ready: false }, 0, T0 + 60_000), 'not ready is never available')

  // 2 replicas, surge 1, unavailable 0: the new pod is ready but not yet available: no old pod goes.
  const pods = [pod('o1'), pod('o2'), fresh]
  const early = planDeployment({ deployment: dep(2, { minReadySeconds: 5 }), pods, nodeHealth: health, now: T0 + 2_000 })
  t.same(early.remove, [], 'old pods stay while the new one is not available')
  t.equal(early.create, 0, 'no second surge pod')
  t.equal(early.wakeAt, T0 + 5_000, 'the controller looks again when it turns available')
  const later = planDeployment({ deployment: dep(2, { minReadySeconds: 5 }), pods, nodeHealth: health, now: T0 + 5_000 })
  t.same(later.remove.map((r) => r.reason), ['outdated'], 'then one old pod goes')
  t.equal(later.create, 1, 'and the next new pod starts in the same step')
})

t.test('a removed running pod is drained first; others are deleted at once', async (t) => {
  t.equal(removalKind(pod('o1')), 'drain')
  t.equal(removalKind(pod('o1', { phase: 'Pending', ready: false })), 'delete')
  t.equal(removalKind(pod('o1', { lost: true })), 'delete')
  t.equal(removalKind(pod('o1', { phase: 'Failed', ready: false })), 'delete')
  t.equal(removalKind(pod('o1', { deleteAt: T0 })), 'delete', 'a terminating pod that is due')
})

t.test('terminating pods do not count, and are deleted when due', async (t) => {
  const terminating = pod('o1', { deleteAt: T0 + 2_000 })
  const pods = [terminating, pod('n2', { templateHash: NEW }), pod('n3', { templateHash: NEW })]
  const before = planDeployment({ deployment: dep(2), pods, nodeHealth: health, now: T0 })
  t.same(before, { create: 0, remove: [], recover: [], wakeAt: T0 + 2_000 }, 'kept until due; no replacement for it')
  const due = planDeployment({ deployment: dep(2), pods, nodeHealth: health, now: T0 + 2_000 })
  t.same(due.remove, [{ name: 'o1', reason: 'terminated' }])
  // Scale-up while one is terminating: it is not counted, so a replacement starts at once.
  t.equal(planDeployment({ deployment: dep(3), pods, nodeHealth: health, now: T0 }).create, 1)
})

t.test('Recreate starts nothing while an old pod is still terminating', async (t) => {
  const plan = planDeployment({ deployment: dep(2, { strategy: 'Recreate' }), pods: [pod('o1', { deleteAt: T0 + 1_000 })], nodeHealth: health, now: T0 })
  t.equal(plan.create, 0)
})

t.test('paused: no rollout step, but the pod count is kept', async (t) => {
  const old = [pod('o1'), pod('o2'), pod('o3')]
  const paused = dep(3, { paused: true, maxSurge: 2, maxUnavailable: 1 })
  t.same(planDeployment({ deployment: paused, pods: old, nodeHealth: health, now: T0 }), { create: 0, remove: [], recover: [] }, 'nothing replaced')
  const failed = [pod('o1'), pod('o2'), pod('o3', { phase: 'Failed', ready: false })]
  const plan = planDeployment({ deployment: paused, pods: failed, nodeHealth: health, now: T0 })
  t.same(plan.remove, [{ name: 'o3', reason: 'failed' }])
  t.equal(plan.create, 1, 'a failed pod is still replaced')
  const down = planDeployment({ deployment: { ...paused, replicas: 1 }, pods: old, nodeHealth: health, now: T0 })
  t.equal(down.remove.length, 2, 'scaling down still applies')
  const resumed = planDeployment({ deployment: { ...paused, paused: false }, pods: old, nodeHealth: health, now: T0 })
  t.equal(resumed.create, 3, 'resumed: the rollout goes on (one old pod goes, so three new ones fit)')
  t.equal(resumed.remove.length, 1)
})

/** A small deterministic PRNG (mulberry32), so a failing run can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

t.test('seeded simulation: rollouts complete and never go below replicas - maxUnavailable available', async (t) => {
  const seed = Number(process.env.SEED ?? Date.now() % 100_000)
  t.comment(`seed ${seed} (replay with SEED=${seed})`)
  const random = prng(seed)
  for (let trial = 0; trial < 200; trial++) {
    const replicas = 1 + Math.floor(random() * 10)
    const d = dep(replicas, { maxSurge: Math.floor(random() * 3), maxUnavailable: Math.floor(random() * 3), minReadySeconds: Math.floor(random() * 3) })
    const view = d.maxSurge === 0 && d.maxUnavailable === 0 ? { ...d, maxUnavailable: 1 } : d
    let pods: ReplicaView[] = Array.from({ length: replicas }, (_, i) => pod(`o${i}`, { created: `2025-12-31T00:00:${String(i).padStart(2, '0')}Z` }))
    const readyAt = new Map<string, number>()
    let now = T0
    let next = 0
    let minAvailable = Infinity
    let steps = 0
    for (; steps < 400; steps++) {
      const plan = planDeployment({ deployment: view, pods, nodeHealth: health, now })
      const gone = new Set(plan.remove.filter((r) => r.reason === 'terminated' || removalKind(pods.find((p) => p.name === r.name)!) === 'delete').map((r) => r.name))
      const drain = new Set(plan.remove.map((r) => r.name).filter((n) => !gone.has(n)))
      pods = pods.filter((p) => !gone.has(p.name)).map((p) => (drain.has(p.name) ? { ...p, deleteAt: now + 2_000 } : p))
      for (let i = 0; i < plan.create; i++) {
        const name = `n${next++}`
        readyAt.set(name, now + 500 + Math.floor(random() * 3_000))
        pods.push(pod(name, { templateHash: NEW, phase: 'Pending', ready: false, created: `2026-01-01T00:${String(next).padStart(4, '0')}Z` }))
      }
      now += 250
      pods = pods.map((p) => (!p.ready && readyAt.get(p.name)! <= now ? { ...p, phase: 'Running', ready: true, readySince: readyAt.get(p.name)! } : p))
      const live = pods.filter((p) => p.deleteAt === undefined)
      minAvailable = Math.min(minAvailable, live.filter((p) => isAvailable(p, view.minReadySeconds, now)).length)
      if (live.length === replicas && live.every((p) => p.templateHash === NEW) && pods.length === replicas) break
    }
    t.ok(steps < 400, `trial ${trial}: the rollout completes (${JSON.stringify(view)})`)
    t.ok(minAvailable >= replicas - view.maxUnavailable, `trial ${trial}: at least ${replicas - view.maxUnavailable} available throughout (saw ${minAvailable})`)
    if (!t.passing()) break
  }
})
