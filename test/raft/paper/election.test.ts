// §5.1 Raft basics and §5.2 leader election ("In Search of an Understandable Consensus Algorithm", extended version).
import t from 'tap'
import { ABC, ABCDE, Cluster, MemoryStorage, PAPER, Solo, app, ofType, seeds, storageWith, voteReq, voteResp } from './harness.js'
import type { ConfState, NodeId } from '../../../src/raft/types.js'

const ET = PAPER.electionTick ?? 10

function follower(id: NodeId = 'a', conf: ConfState = ABC, seed = 1): Solo {
  return new Solo(id, new MemoryStorage(conf), PAPER, seed)
}

function candidate(conf: ConfState = ABC): Solo {
  const s = follower('a', conf)
  s.node.campaign()
  s.drain()
  return s
}

function leader(): Solo {
  const s = candidate()
  s.step(voteResp('b', 'a', 1))
  return s
}

t.test('§5.1 if one server\'s current term is smaller than the other\'s, it updates its current term and reverts to follower', async (t) => {
  for (const [role, make] of [['follower', () => follower()], ['candidate', () => candidate()], ['leader', () => leader()]] as const) {
    const s = make()
    t.equal(s.status().role, role, `${role}: set up`)
    s.step(app('b', 'a', 5, 0, 0))
    t.equal(s.status().term, 5, `${role}: term taken from the append`)
    t.equal(s.status().role, 'follower', `${role}: became follower`)
    t.equal(s.status().leader, 'b', `${role}: knows the new leader`)
  }
})

t.test('§5.1 a higher term in a vote request also makes any node a follower of that term', async (t) => {
  for (const [role, make] of [['candidate', () => candidate()], ['leader', () => leader()]] as const) {
    const s = make()
    s.step(voteReq('c', 'a', 7, 100, 6))
    t.equal(s.status().term, 7, `${role}: term 7`)
    t.equal(s.status().role, 'follower', `${role}: follower`)
  }
})

t.test('§5.1 if a server receives a request with a stale term number, it rejects the request', async (t) => {
  const s = new Solo('a', storageWith(ABC, [], { term: 2, vote: '', commit: 0 }))
  const before = s.node.counters.droppedStaleTerm
  const out = s.step(app('b', 'a', 1, 0, 0, [{ index: 1, term: 1, type: 'normal', data: new Uint8Array([1]) }]))
  t.equal(s.status().term, 2, 'term unchanged')
  t.equal(s.status().lastIndex, 0, 'nothing appended')
  t.equal(s.status().leader, '', 'the stale sender is not taken for a leader')
  t.equal(s.node.counters.droppedStaleTerm, before + 1, 'counted as stale')
  t.notOk(ofType(out, 'appResp').some((m) => !m.reject), 'never acknowledged')
})

t.test('§5.2 when servers start up, they begin as followers', async (t) => {
  const st = follower().status()
  t.equal(st.role, 'follower')
  t.equal(st.term, 0)
  t.equal(st.leader, '')
})

t.test('§5.2 leaders send periodic heartbeats to all followers to maintain their authority', async (t) => {
  const s = leader()
  s.drain()
  s.node.tick()
  const beats = ofType(s.drain(), 'heartbeat')
  const targets = beats.map((m) => m.to).sort()
  t.same(targets, ['b', 'c'], 'one heartbeat per follower after heartbeatTick')
  t.ok(beats.every((m) => m.term === 1 && m.from === 'a'), 'in the leader\'s term')
})

t.test('§5.2 a follower that hears nothing for an election timeout increments its term, votes for itself and requests votes in parallel', async (t) => {
  const s = follower()
  s.node.tick()
  t.equal(s.status().role, 'follower', 'one tick is not a timeout')
  for (let i = 0; i < 2 * ET; i++) s.node.tick()
  const out = s.drain()
  const st = s.status()
  t.equal(st.role, 'candidate')
  t.equal(st.term, 1, 'term incremented')
  t.equal(st.vote, 'a', 'voted for itself')
  t.equal(s.peer.storage.initialState().hardState.vote, 'a', 'the vote is persisted before the requests go out')
  const reqs = ofType(out, 'vote')
  t.same(reqs.map((m) => m.to).sort(), ['b', 'c'], 'RequestVote to every other server')
  t.ok(reqs.every((m) => m.term === 1 && m.lastLogIndex === 0 && m.lastLogTerm === 0), 'carrying term and last log position')
})

t.test('§5.2 if an election times out without a winner, the candidate starts a new election by incrementing its term', async (t) => {
  const s = candidate()
  t.equal(s.status().term, 1)
  for (let i = 0; i < 2 * ET; i++) s.node.tick()
  const out = s.drain()
  t.equal(s.status().role, 'candidate')
  t.equal(s.status().term, 2, 'new term')
  t.same(ofType(out, 'vote').filter((m) => m.term === 2).map((m) => m.to).sort(), ['b', 'c'], 'requests votes again')
})

t.test('§5.2 a candidate wins an election if it receives votes from a majority of the servers in the full cluster', async (t) => {
  const three: ConfState = ABC
  const one: ConfState = { voters: ['a'], learners: [] }
  const cases: Array<{ conf: ConfState; votes: Record<string, boolean>; want: 'leader' | 'candidate' | 'lost' }> = [
    { conf: one, votes: {}, want: 'leader' },
    { conf: three, votes: { b: true, c: true }, want: 'leader' },
    { conf: three, votes: { b: true }, want: 'leader' },
    { conf: three, votes: {}, want: 'candidate' },
    { conf: ABCDE, votes: { b: true, c: true, d: true, e: true }, want: 'leader' },
    { conf: ABCDE, votes: { b: true, c: true }, want: 'leader' },
    { conf: ABCDE, votes: { b: true }, want: 'candidate' },
    { conf: ABCDE, votes: { b: true, c: false }, want: 'candidate' },
    { conf: ABCDE, votes: { b: false, c: false, d: false }, want: 'lost' },
    { conf: ABCDE, votes: { b: true, c: false, d: false, e: false }, want: 'lost' },
  ]
  for (const [i, c] of cases.entries()) {
    const s = candidate(c.conf)
    for (const [from, grant] of Object.entries(c.votes)) s.step(voteResp(from, 'a', 1, !grant))
    const role = s.status().role
    const name = `case ${i}: ${c.conf.voters.length} voters, votes ${JSON.stringify(c.votes)}`
    if (c.want === 'lost') t.not(role, 'leader', `${name}: a majority rejected, no leader`)
    else t.equal(role, c.want, name)
    t.equal(s.status().term, 1, `${name}: term unchanged`)
  }
})

t.test('§5.2 each server will vote for at most one candidate in a given term, on a first-come-first-served basis', async (t) => {
  const cases: Array<{ vote: string; candidate: string; reject: boolean }> = [
    { vote: '', candidate: 'a', reject: false },
    { vote: '', candidate: 'c', reject: false },
    { vote: 'a', candidate: 'a', reject: false },
    { vote: 'c', candidate: 'c', reject: false },
    { vote: 'a', candidate: 'c', reject: true },
    { vote: 'c', candidate: 'a', reject: true },
  ]
  for (const c of cases) {
    const s = new Solo('b', storageWith(ABC, [], { term: 1, vote: c.vote, commit: 0 }))
    const out = ofType(s.step(voteReq(c.candidate, 'b', 1, 0, 0)), 'voteResp')
    t.equal(out.length, 1, `voted '${c.vote}', asked by ${c.candidate}: one answer`)
    t.equal(out[0]?.reject, c.reject, `voted '${c.vote}', asked by ${c.candidate}: reject=${c.reject}`)
    t.equal(out[0]?.to, c.candidate, 'answered to the candidate')
  }
  // the same sequence on a fresh node: first come, first served
  const s = new Solo('b', new MemoryStorage(ABC))
  const first = ofType(s.step(voteReq('a', 'b', 1, 0, 0)), 'voteResp')
  const second = ofType(s.step(voteReq('c', 'b', 1, 0, 0)), 'voteResp')
  t.equal(first[0]?.reject, false, 'first candidate of term 1 gets the vote')
  t.equal(second[0]?.reject, true, 'second candidate of term 1 is refused')
  t.equal(s.status().vote, 'a')
})

t.test('§5.2 a candidate that receives AppendEntries from a leader whose term is at least its own returns to follower', async (t) => {
  for (const term of [1, 2]) {
    const s = candidate()
    s.step(app('b', 'a', term, 0, 0))
    t.equal(s.status().role, 'follower', `term ${term}: follower`)
    t.equal(s.status().leader, 'b', `term ${term}: recognises b`)
    t.equal(s.status().term, term, `term ${term}`)
  }
  const s = candidate()
  s.step(app('b', 'a', 0, 0, 0))
  t.equal(s.status().role, 'candidate', 'an append of an older term is rejected and the candidate continues')
})

t.test('§5.2 election timeouts are chosen randomly from a fixed interval [et, 2et)', async (t) => {
  const seen = new Set<number>()
  for (const seed of seeds(Array.from({ length: 50 }, (_, i) => i + 1))) {
    const s = follower('a', ABC, seed)
    let n = 0
    while (s.status().role === 'follower' && n < 4 * ET) {
      s.node.tick()
      n++
    }
    t.ok(n >= ET && n < 2 * ET, `seed ${seed}: follower timed out after ${n} ticks, in [${ET}, ${2 * ET})`)
    seen.add(n)
    // a candidate's timeout is randomized too
    let m = 0
    while (s.status().term === 1 && m < 4 * ET) {
      s.node.tick()
      m++
    }
    t.ok(m >= ET && m < 2 * ET, `seed ${seed}: candidate timed out after ${m} ticks`)
  }
  t.ok(seen.size >= 5, `timeouts spread over the interval: ${[...seen].sort((x, y) => x - y).join(',')}`)
})

t.test('§5.2 randomized timeouts ensure that in most cases only a single server times out first', async (t) => {
  const runs = seeds(Array.from({ length: 100 }, (_, i) => i + 1))
  let conflicts = 0
  for (const seed of runs) {
    const c = new Cluster(['a', 'b', 'c', 'd', 'e'], { seed })
    let first: string[] = []
    for (let tick = 0; tick < 2 * ET && first.length === 0; tick++) {
      for (const p of c.peers.values()) p.node.tick()
      first = [...c.peers.values()].filter((p) => p.role !== 'follower').map((p) => p.id)
    }
    t.ok(first.length > 0, `seed ${seed}: someone timed out within 2et`)
    if (first.length > 1) conflicts++
  }
  t.ok(conflicts / runs.length <= 0.4, `${conflicts} of ${runs.length} runs had several servers time out at the same tick`)
})

t.test('§5.2 split votes: no candidate obtains a majority; each times out and a new election elects one leader', async (t) => {
  for (const seed of seeds([1, 2, 3])) {
    const c = new Cluster(['a', 'b', 'c', 'd'], { seed })
    // b hears a first and d hears c first: each candidate gets 2 of 4 votes.
    const split = c.filter((m) => (m.type === 'vote' && ((m.from === 'a' && m.to === 'd') || (m.from === 'c' && m.to === 'b')) ? 'drop' : undefined))
    c.peer('a').node.campaign()
    c.peer('c').node.campaign()
    c.stabilize()
    t.equal(c.leader(), undefined, `seed ${seed}: no leader after the split vote`)
    t.equal(c.peer('b').status().vote, 'a')
    t.equal(c.peer('d').status().vote, 'c')
    split()
    const ticks = c.tickUntil(() => c.leader() !== undefined, 6 * ET)
    t.ok(ticks > 0, `seed ${seed}: a leader after ${ticks} ticks`)
    const leaders = [...c.peers.values()].filter((p) => p.role === 'leader')
    t.equal(leaders.length, 1, `seed ${seed}: exactly one leader`)
    t.ok((leaders[0]?.term ?? 0) >= 2, `seed ${seed}: elected in a later term`)
  }
})
