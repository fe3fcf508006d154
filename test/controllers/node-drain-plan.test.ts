// Node lifecycle transitions, lost-pod marking, and the drain's eviction order and availability rule.
import t from 'tap'
import { planDrain, type DrainPod } from '../../src/controllers/drain-plan.js'
import { planLostPods, planNodeTransitions, type BoundPod } from '../../src/controllers/node-plan.js'

t.test('a node turns NotReady only after the grace period, and Ready again on a heartbeat', async (t) => {
  const grace = 2_000
  const now = 10_000
  const nodes = [
    { name: 'fresh', ready: undefined, lastSeenMs: now - 100 },
    { name: 'ok', ready: 'True' as const, lastSeenMs: now - grace },
    { name: 'silent', ready: 'True' as const, lastSeenMs: now - grace - 1 },
    { name: 'back', ready: 'False' as const, lastSeenMs: now - 50 },
    { name: 'still-down', ready: 'False' as const, lastSeenMs: now - 60_000 },
  ]
  const plan = planNodeTransitions(nodes, now, grace)
  t.same(
    plan.map((p) => [p.name, p.ready]),
    [
      ['fresh', true],
      ['silent', false],
      ['back', true],
    ],
    'only transitions, never a write for an unchanged node',
  )
  t.same(planNodeTransitions([{ name: 'x', ready: undefined, lastSeenMs: 0 }], now, grace)[0]?.ready, false, 'a node never heard from turns NotReady')
})

t.test('pods on a NotReady node are marked lost; bare pods recover when it returns', async (t) => {
  const p = (name: string, nodeName: string, over: Partial<BoundPod> = {}): BoundPod => ({ namespace: 'default', name, nodeName, terminal: false, lost: false, controlled: true, ...over })
  const ready = (n: string) => (n === 'down' ? false : n === 'up' ? true : undefined)
  const plan = planLostPods([p('a', 'down'), p('b', 'down', { lost: true }), p('c', 'down', { terminal: true }), p('d', 'up', { lost: true, controlled: false }), p('e', 'up', { lost: true }), p('f', 'unknown')], ready)
  t.same(plan.markLost.map((x) => x.name), ['a'])
  t.same(plan.recover.map((x) => x.name), ['d'], 'a controlled pod is left to its deployment')
})

t.test('drain marks one pod, then evicts it once availability allows', async (t) => {
  const p = (name: string, nodeName: string, over: Partial<DrainPod> = {}): DrainPod => ({ namespace: 'default', name, nodeName, ready: true, terminal: false, evicting: false, terminating: false, owner: 'default/web', ...over })
  const owners = (o: string) => (o === 'default/web' ? { replicas: 3, maxUnavailable: 0 } : undefined)
  const pods = [p('w1', 'n1'), p('w2', 'n1'), p('w3', 'n2'), p('bare', 'n1', { owner: undefined })]
  t.match(planDrain('n1', pods, owners), { kind: 'mark', pod: { name: 'w1' } })

  const marked = [p('w1', 'n1', { evicting: true }), p('w2', 'n1'), p('w3', 'n2'), p('bare', 'n1', { owner: undefined })]
  t.match(planDrain('n1', marked, owners), { kind: 'wait', pod: { name: 'w1' } }, 'maxUnavailable 0: wait for a replacement to be ready')
  const replaced = [...marked, p('w4', 'n2')]
  t.match(planDrain('n1', replaced, owners), { kind: 'evict', pod: { name: 'w1' } })

  const done = planDrain('n1', [p('bare', 'n1', { owner: undefined }), p('w3', 'n2')], owners)
  t.match(done, { kind: 'done', left: [{ name: 'bare' }] }, 'bare pods are left, and named')
})

t.test('drain evicts not-ready pods first, and at once', async (t) => {
  const p = (name: string, over: Partial<DrainPod> = {}): DrainPod => ({ namespace: 'default', name, nodeName: 'n1', ready: true, terminal: false, evicting: false, terminating: false, owner: 'default/web', ...over })
  const owners = () => ({ replicas: 2, maxUnavailable: 0 })
  t.match(planDrain('n1', [p('a'), p('b', { ready: false })], owners), { kind: 'mark', pod: { name: 'b' } })
  t.match(planDrain('n1', [p('a'), p('b', { ready: false, evicting: true })], owners), { kind: 'evict', pod: { name: 'b' } })
})

t.test('a pod the drain evicted stays terminating: never chosen again, never counted as ready', async (t) => {
  const p = (name: string, nodeName: string, over: Partial<DrainPod> = {}): DrainPod => ({ namespace: 'default', name, nodeName, ready: true, terminal: false, evicting: false, terminating: false, owner: 'default/web', ...over })
  const owners = () => ({ replicas: 2, maxUnavailable: 0 })
  // w1 was evicted (terminating, still running and ready); w2 is the next one; w3 replaced w1 on n2.
  const pods = [p('w1', 'n1', { evicting: true, terminating: true }), p('w2', 'n1'), p('w3', 'n2')]
  t.match(planDrain('n1', pods, owners), { kind: 'mark', pod: { name: 'w2' } }, 'the terminating pod is not finished again: the next one is chosen')
  const marked = [p('w1', 'n1', { evicting: true, terminating: true }), p('w2', 'n1', { evicting: true }), p('w3', 'n2')]
  t.match(planDrain('n1', marked, owners), { kind: 'wait', pod: { name: 'w2' } }, 'the terminating pod is out of rotation: it does not count toward availability')
  t.match(planDrain('n1', [p('w1', 'n1', { evicting: true, terminating: true }), p('w3', 'n2'), p('w4', 'n2')], owners), { kind: 'done', left: [] }, 'only terminating pods left: nothing more to do')
})
