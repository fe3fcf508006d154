// End-to-end interaction tests: election and replication among three RawNodes.
import t from 'tap'
import { Cluster, bytes } from './cluster.js'

t.test('§5.2: a campaign elects a leader and every node learns it', async (t) => {
  const c = Cluster.withVoters(['a', 'b', 'c'])
  c.get('a').node.campaign()
  c.stabilize()
  t.same(c.leaders(), ['a'])
  for (const id of ['a', 'b', 'c']) {
    const st = c.get(id).node.status()
    t.equal(st.leader, 'a', `${id} knows the leader`)
    t.equal(st.term, 1, `${id} is in term 1`)
  }
  // The no-op of the new term is committed everywhere.
  for (const id of ['a', 'b', 'c']) t.equal(c.get(id).node.status().commit, 1)
})

t.test('§5.3: a proposal is committed and applied on all three nodes', async (t) => {
  const c = Cluster.withVoters(['a', 'b', 'c'])
  c.get('a').node.campaign()
  c.stabilize()
  const res = c.get('a').node.propose(bytes('x=1'))
  t.same(res, { ok: true, index: 2, term: 1 })
  c.stabilize()
  for (const id of ['a', 'b', 'c']) t.same(c.appliedData(id), ['x=1'], `${id} applied it`)
})

t.test('§5.2: election timeouts elect a leader without campaign()', async (t) => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const c = Cluster.withVoters(['a', 'b', 'c'], seed)
    for (let i = 0; i < 40 && c.leader() === undefined; i++) c.tickAll()
    t.equal(c.leaders().length, 1, `one leader (seed ${seed})`)
  }
})

t.test('a proposal on a follower is refused with the leader', async (t) => {
  const c = Cluster.withVoters(['a', 'b', 'c'])
  c.get('a').node.campaign()
  c.stabilize()
  t.same(c.get('b').node.propose(bytes('x')), { ok: false, reason: 'notLeader', leader: 'a' })
})

t.test('a healthy run drops nothing: late vote answers are not counted as invalid', async (t) => {
  const c = Cluster.withVoters(['a', 'b', 'c'])
  c.get('a').node.campaign()
  c.stabilize()
  c.get('a').node.propose(bytes('x'))
  c.stabilize()
  for (const m of c.members.values()) {
    t.same(m.node.counters, { droppedUnknownNode: 0, droppedStaleTerm: 0, droppedInvalid: 0 }, `${m.id}`)
  }
})
