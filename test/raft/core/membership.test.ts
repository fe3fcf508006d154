// Interaction tests: bootstrap, joining, one-at-a-time membership changes, learners.
import t from 'tap'
import { bootstrapFirstNode } from '../../../src/raft/bootstrap.js'
import { MemoryStorage } from '../../../src/raft/memory-storage.js'
import type { ConfChange, ProposalResult } from '../../../src/raft/types.js'
import { Cluster, bytes, confOf } from './cluster.js'

function bootstrapped(seed = 1): Cluster {
  const c = new Cluster(seed)
  const s = new MemoryStorage()
  bootstrapFirstNode(s, 'a')
  c.add('a', s)
  return c
}

/** Proposes cc on the leader and runs until it is applied everywhere. */
function change(c: Cluster, leader: string, cc: ConfChange): ProposalResult {
  const res = c.get(leader).node.proposeConfChange(cc)
  c.stabilize()
  return res
}

t.test('bootstrap: the first node applies its own membership and elects itself', async (t) => {
  const c = bootstrapped()
  c.stabilize()
  t.same(confOf(c, 'a'), { voters: ['a'], learners: [] }, 'applied the bootstrap entry')
  t.equal(c.get('a').events.filter((e) => e.type === 'confChanged').length, 1)
  for (let i = 0; i < 20 && c.leader() === undefined; i++) c.tickAll()
  t.same(c.leaders(), ['a'], 'a lone voter elects itself after its election timeout')
  const res = c.get('a').node.propose(bytes('v'))
  t.ok(res.ok)
  c.stabilize()
  t.same(c.appliedData('a'), ['v'])
})

t.test('bootstrap refuses storage that is not empty', async (t) => {
  const s = new MemoryStorage()
  bootstrapFirstNode(s, 'a')
  t.throws(() => bootstrapFirstNode(s, 'a'), { name: 'RaftConfigError' })
})

t.test('thesis §4.1: joiners are added one at a time and receive the whole log', async (t) => {
  const c = bootstrapped()
  c.stabilize()
  c.get('a').node.campaign()
  c.stabilize()
  t.same(c.leaders(), ['a'])
  c.get('a').node.propose(bytes('before'))
  c.add('b', new MemoryStorage())
  c.add('c', new MemoryStorage())
  t.same(change(c, 'a', { type: 'addVoter', node: 'b' }).ok, true)
  c.tickAll(3)
  t.same(change(c, 'a', { type: 'addVoter', node: 'c' }).ok, true)
  c.tickAll(3)
  for (const id of ['a', 'b', 'c']) {
    t.same(confOf(c, id), { voters: ['a', 'b', 'c'], learners: [] }, `${id} has the full configuration`)
    t.same(c.appliedData(id), ['before'], `${id} applied the early entry`)
  }
  c.get('a').node.propose(bytes('after'))
  c.stabilize()
  for (const id of ['a', 'b', 'c']) t.same(c.appliedData(id), ['before', 'after'])
})

t.test('a joiner with an empty configuration never campaigns', async (t) => {
  const c = new Cluster(3)
  c.add('z', new MemoryStorage())
  c.tickAll(100)
  t.equal(c.get('z').node.status().role, 'follower')
  t.equal(c.get('z').node.status().term, 0)
  c.get('z').node.campaign()
  t.equal(c.get('z').node.status().role, 'follower', 'campaign() is a no-op too')
})

t.test('conf changes are refused while one is pending, and when invalid', async (t) => {
  const c = Cluster.withVoters(['a', 'b', 'c'], 1, { preVote: false })
  // Elected, but the no-op of its term is not committed yet.
  c.electWithoutCommit('a', ['b', 'c'])
  const leader = c.get('a').node
  t.equal(leader.status().role, 'leader')
  t.match(leader.proposeConfChange({ type: 'addLearner', node: 'd' }), { ok: false, reason: 'confChangePending' }, 'before a commit in its term')
  c.stabilize()
  t.match(leader.proposeConfChange({ type: 'addVoter', node: 'a' }), { ok: false, reason: 'invalidConfChange' }, 'no-op')
  t.match(leader.proposeConfChange({ type: 'remove', node: 'x' }), { ok: false, reason: 'invalidConfChange' }, 'unknown node')
  t.match(leader.proposeConfChange({ type: 'remove', node: '' }), { ok: false, reason: 'invalidConfChange' }, 'malformed')
  t.match(leader.proposeConfChange({ type: 'addLearner', node: 'd' }), { ok: true })
  t.match(leader.proposeConfChange({ type: 'addLearner', node: 'e' }), { ok: false, reason: 'confChangePending' }, 'one at a time')
  t.match(c.get('b').node.proposeConfChange({ type: 'addLearner', node: 'e' }), { ok: false, reason: 'notLeader', leader: 'a' })
  c.stabilize()
  t.match(leader.proposeConfChange({ type: 'addLearner', node: 'e' }), { ok: true }, 'accepted once the first is applied')
})

t.test('a change leaving no voter is refused', async (t) => {
  const c = bootstrapped()
  c.stabilize()
  c.get('a').node.campaign()
  c.stabilize()
  t.match(c.get('a').node.proposeConfChange({ type: 'remove', node: 'a' }), { ok: false, reason: 'invalidConfChange' })
  t.match(c.get('a').node.proposeConfChange({ type: 'addLearner', node: 'a' }), { ok: false, reason: 'invalidConfChange' })
})

t.test('learners receive the log but never vote, count or campaign', async (t) => {
  const c = Cluster.withVoters(['a', 'b'])
  c.get('a').node.campaign()
  c.stabilize()
  // In this cluster the initial configuration lives in the snapshot at index 0, which a joiner needs too.
  c.add('l', new MemoryStorage({ voters: ['a', 'b'], learners: [] }))
  t.ok(c.get('a').node.proposeConfChange({ type: 'addLearner', node: 'l' }).ok)
  c.stabilize()
  c.tickAll(3)
  c.get('a').node.propose(bytes('x'))
  c.stabilize()
  t.same(c.appliedData('l'), ['x'], 'the learner applied the entry')
  t.same(confOf(c, 'l'), { voters: ['a', 'b'], learners: ['l'] })
  t.equal(c.get('a').node.status().progress?.get('l')?.isLearner, true)
  // With b cut off, a and the learner are no quorum: nothing commits.
  c.drop = (m) => m.to === 'b' || m.from === 'b'
  const res = c.get('a').node.propose(bytes('y'))
  c.stabilize()
  t.ok(res.ok)
  t.same(c.appliedData('a'), ['x'], 'a learner does not count toward commitment')
  // The learner never campaigns, however long it waits.
  for (let i = 0; i < 60; i++) {
    c.tick('l')
    c.stabilize()
  }
  t.equal(c.get('l').node.status().role, 'follower')
})

t.test('a removed leader steps down once the removal is applied; the others elect a new leader', async (t) => {
  const c = Cluster.withVoters(['a', 'b', 'c'])
  c.get('a').node.campaign()
  c.stabilize()
  t.ok(c.get('a').node.proposeConfChange({ type: 'remove', node: 'a' }).ok)
  c.stabilize()
  t.equal(c.get('a').node.status().role, 'follower')
  t.ok(c.get('a').events.some((e) => e.type === 'stepDown' && e.reason === 'removed'))
  c.drop = (m) => m.to === 'a' || m.from === 'a'
  for (let i = 0; i < 60 && c.leader() === undefined; i++) c.tickAll()
  const l = c.leader()
  t.ok(l !== undefined && l.id !== 'a', 'b or c leads')
  t.same(confOf(c, l!.id), { voters: ['b', 'c'], learners: [] })
})

t.test('on restart the configuration includes the conf entries already applied', async (t) => {
  const c = bootstrapped()
  c.stabilize()
  c.get('a').node.campaign()
  c.stabilize()
  c.add('b', new MemoryStorage())
  change(c, 'a', { type: 'addLearner', node: 'b' })
  const m = c.get('a')
  const applied = m.node.status().applied
  const restarted = c.add('a', m.storage, { applied })
  t.same(restarted.node.status().conf, { voters: ['a'], learners: ['b'] })
  t.equal(restarted.node.status().applied, applied)
  t.notOk(restarted.node.ready().committedEntries.length, 'applied entries are not handed out again')
})
