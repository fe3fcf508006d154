// Thesis §3.10 Leadership transfer extension.
import t from 'tap'
import { Cluster, DEFAULTS, bytes } from './harness.js'

const ET = DEFAULTS.electionTick ?? 10

function elected(seed: number): Cluster {
  const c = new Cluster(['a', 'b', 'c'], { seed, options: DEFAULTS })
  c.elect('a')
  c.propose('a', 'x')
  return c
}

t.test('thesis §3.10 transfer to an up-to-date server: it times out at once and wins the next term', async (t) => {
  const c = elected(101)
  const term = c.peer('a').term
  t.same(c.peer('a').node.transferLeadership('b'), { ok: true })
  c.stabilize()
  t.equal(c.sentOf('timeoutNow', (m) => m.from === 'a' && m.to === 'b').length, 1, 'TimeoutNow sent')
  t.equal(c.peer('b').role, 'leader', 'b leads')
  t.equal(c.peer('b').term, term + 1, 'in the next term')
  t.equal(c.peer('a').role, 'follower')
  c.propose('b', 'y')
  t.same(c.peer('a').appliedData(), ['x', 'y'], 'and the log carries on')
})

t.test('thesis §3.10 transfer to a lagging server: the leader first brings its log up to date', async (t) => {
  const c = elected(102)
  const heal = c.isolate('c')
  for (let i = 0; i < 5; i++) c.propose('a', `m${i}`)
  heal()
  const a = c.peer('a')
  let atTimeoutNow: { match: number; last: number } | undefined
  c.observe((m) => {
    if (m.type === 'timeoutNow') atTimeoutNow = { match: a.status().progress?.get('c')?.match ?? -1, last: a.status().lastIndex }
  })
  t.same(a.node.transferLeadership('c'), { ok: true })
  c.stabilize()
  const ticks = c.peer('c').role === 'leader' ? 0 : c.tickUntil(() => c.peer('c').role === 'leader', ET - 1)
  t.ok(ticks >= 0, `c leads (after ${ticks} extra tick(s))`)
  t.ok(atTimeoutNow !== undefined && atTimeoutNow.match === atTimeoutNow.last, `TimeoutNow only once c matched the leader's log (${JSON.stringify(atTimeoutNow)})`)
  t.same(c.peer('c').appliedData(), ['x', 'm0', 'm1', 'm2', 'm3', 'm4'], 'c holds every entry')
})

t.test('thesis §3.10 the leader stops accepting client requests during the transfer; it aborts after an election timeout', async (t) => {
  const c = elected(103)
  c.isolate('c')
  const a = c.peer('a')
  t.same(a.node.transferLeadership('c'), { ok: true })
  c.stabilize()
  t.equal(a.status().leadTransferee, 'c')
  t.match(a.node.propose(bytes('y')), { ok: false, reason: 'transferring' }, 'proposals refused')
  c.tickAll(1)
  t.equal(a.status().leadTransferee, 'c', 'still transferring after a tick')
  const ticks = c.tickUntil(() => a.status().leadTransferee === '', ET)
  t.ok(ticks > 0, `transfer aborted after ${ticks + 1} ticks (election timeout ${ET})`)
  t.equal(a.role, 'leader', 'a resumes as leader')
  t.ok(a.node.propose(bytes('y')).ok, 'and accepts proposals again')
})

t.test('thesis §3.10 transfer requests the leader cannot serve are refused', async (t) => {
  const c = elected(104)
  t.match(c.peer('a').node.transferLeadership('z'), { ok: false, reason: 'unknownNode' }, 'to a stranger')
  t.match(c.peer('b').node.transferLeadership('c'), { ok: false, reason: 'notLeader', leader: 'a' }, 'on a follower, naming the leader')
})
