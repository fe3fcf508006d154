// Thesis §9.6 preventing disruptions when a server rejoins (pre-vote), §6.2 check-quorum, §4.2.3 leader lease on votes.
import t from 'tap'
import { Cluster, DEFAULTS, PAPER, ofType, voteReq } from './harness.js'

const ET = DEFAULTS.electionTick ?? 10

function elected(seed: number, options = DEFAULTS): Cluster {
  const c = new Cluster(['a', 'b', 'c'], { seed, options })
  c.elect('a')
  c.tickAll(1)
  return c
}

t.test('thesis §9.6 pre-vote: a partitioned server that rejoins does not disrupt the leader', async (t) => {
  const c = elected(91)
  const term = c.peer('a').term
  const heal = c.isolate('c')
  c.tickAll(5 * ET)
  t.ok(c.sentOf('preVote', (m) => m.from === 'c').length > 0, 'c timed out and asked for pre-votes')
  t.equal(c.peer('c').term, term, 'without raising its term')
  heal()
  c.tickAll(3)
  t.equal(c.leader()?.id, 'a', 'a still leads')
  for (const p of c.peers.values()) t.equal(p.term, term, `${p.id} still in term ${term}`)
})

t.test('thesis §9.6 (contrast) without pre-vote, the rejoining server forces a new election', async (t) => {
  const c = elected(92, PAPER)
  const term = c.peer('a').term
  const heal = c.isolate('c')
  c.tickAll(5 * ET)
  t.ok(c.peer('c').term > term, 'c raised its term while cut off')
  heal()
  c.tickAll(4 * ET)
  t.ok(c.leader() !== undefined && c.leader()!.term > term, 'the cluster moved to a new term')
})

t.test('thesis §6.2 check-quorum: a leader that cannot hear from a majority for an election timeout steps down', async (t) => {
  const c = elected(93)
  const a = c.peer('a')
  c.isolate('a')
  c.tick('a', ET - 1)
  t.equal(a.role, 'leader', 'still leader before an election timeout')
  let n = ET - 1
  while (a.role === 'leader' && n < 3 * ET) {
    c.tick('a')
    n++
  }
  t.ok(n <= 2 * ET, `stepped down after ${n} ticks (at most two election timeouts: one to notice)`)
  t.not(a.role, 'leader')
  t.ok(a.events.some((e) => e.type === 'stepDown' && e.reason === 'checkQuorum'), 'reason: checkQuorum')
})

t.test('thesis §6.2 check-quorum: a leader that hears from a majority stays leader', async (t) => {
  const c = elected(94)
  const term = c.peer('a').term
  c.isolate('c')
  c.tickAll(5 * ET)
  t.equal(c.peer('a').role, 'leader')
  t.equal(c.peer('a').term, term)
})

t.test('thesis §4.2.3 a server that heard from the leader within the election timeout neither grants its vote nor raises its term', async (t) => {
  for (const type of ['vote', 'preVote'] as const) {
    const c = elected(95)
    const b = c.peer('b')
    const term = b.term
    const vote = b.status().vote
    const last = b.log().at(-1)
    b.node.step(voteReq('c', 'b', term + 1, (last?.index ?? 0) + 5, term, { type }))
    const out = ofType(b.drain(), type === 'vote' ? 'voteResp' : 'preVoteResp')
    t.notOk(out.some((m) => !m.reject), `${type}: not granted`)
    t.equal(b.term, term, `${type}: term unchanged`)
    t.equal(b.status().vote, vote, `${type}: vote unchanged`)
    t.equal(b.status().leader, 'a', `${type}: still follows a`)
  }
})

t.test('thesis §4.2.3 a leadership transfer (TimeoutNow) campaign overrides the lease', async (t) => {
  const c = elected(96)
  const b = c.peer('b')
  const term = b.term
  const last = b.log().at(-1)
  b.node.step(voteReq('c', 'b', term + 1, last?.index ?? 0, last?.term ?? 0, { transfer: true }))
  const out = ofType(b.drain(), 'voteResp')
  t.same(out.map((m) => m.reject), [false], 'granted')
  t.equal(b.term, term + 1)
})

t.test('thesis §9.6 a pre-vote request changes neither the voter\'s term nor its vote, granted or not', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 97, options: DEFAULTS })
  const b = c.peer('b')
  b.node.step(voteReq('c', 'b', 1, 0, 0, { type: 'preVote' }))
  const out = ofType(b.drain(), 'preVoteResp')
  t.same(out.map((m) => [m.reject, m.term]), [[false, 1]], 'granted, answering in the term the candidate would use')
  t.equal(b.term, 0, 'term unchanged')
  t.equal(b.status().vote, '', 'no vote recorded')
  const later = ofType((b.node.step(voteReq('a', 'b', 1, 0, 0)), b.drain()), 'voteResp')
  t.same(later.map((m) => m.reject), [false], 'so b can still vote for another candidate in that term')
})

t.test('thesis §9.6 a pre-candidate does not raise its term until it wins the pre-vote', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 98, options: DEFAULTS })
  const a = c.peer('a')
  a.node.campaign()
  t.equal(a.role, 'preCandidate')
  t.equal(a.term, 0, 'still term 0')
  c.process('a')
  t.ok(c.queue.every((m) => m.type === 'preVote' && m.term === 1), 'asks for pre-votes for term 1')
  c.stabilize()
  t.equal(a.role, 'leader', 'wins the pre-vote, then the vote')
  t.equal(a.term, 1, 'in term 1')
})
