// §6 (paper) / thesis §4: cluster membership changes, one server at a time, with learners (thesis §4.2.1).
import t from 'tap'
import { Cluster, ids } from './harness.js'
import type { ConfChange } from '../../../src/raft/types.js'

function cluster(seed: number): Cluster {
  const c = new Cluster(['a', 'b', 'c'], { seed })
  c.elect('a')
  return c
}

function change(c: Cluster, cc: ConfChange): void {
  const r = c.peer('a').node.proposeConfChange(cc)
  if (!r.ok) throw new Error(`conf change refused: ${r.reason}`)
  c.stabilize()
}

/** a leads a, b, c; d has joined as a learner and caught up. */
function withLearner(seed: number): Cluster {
  const c = cluster(seed)
  c.propose('a', 'x')
  c.addPeer('d')
  change(c, { type: 'addLearner', node: 'd' })
  return c
}

t.test('thesis §4.2.1 a new server joins as a learner: it receives the log but is not counted for commitment', async (t) => {
  const c = withLearner(61)
  const a = c.peer('a')
  t.same(a.status().conf.learners, ['d'], 'd is a learner in the leader\'s configuration')
  t.same([...a.status().conf.voters].sort(), ['a', 'b', 'c'], 'the voters are unchanged')
  t.equal(a.status().progress?.get('d')?.isLearner, true, 'the leader tracks d as a learner')
  t.same(ids(c.peer('d').log()), ids(a.log()), 'd received the whole log')
  t.same(c.peer('d').appliedData(), ['x'], 'and applied it')
  for (const id of ['b', 'c', 'd']) t.same(c.peer(id).status().conf.learners, ['d'], `${id} applied the change too`)
})

t.test('thesis §4.2.1 learners are not counted in the quorum', async (t) => {
  const c = withLearner(62)
  c.addPeer('e')
  change(c, { type: 'addLearner', node: 'e' })
  const cutB = c.isolate('b')
  const cutC = c.isolate('c')
  const before = c.peer('a').commit
  const r = c.peer('a').node.propose(new TextEncoder().encode('y'))
  c.stabilize()
  t.ok(r.ok, 'accepted')
  t.equal(c.peer('d').status().lastIndex, c.peer('a').status().lastIndex, 'd stores the entry')
  t.equal(c.peer('e').status().lastIndex, c.peer('a').status().lastIndex, 'so does e')
  t.equal(c.peer('a').commit, before, 'a, d and e are 3 of 5 members, but only 1 of the 3 voters')
  cutB()
  cutC()
  c.tickAll(2)
  t.ok(c.peer('a').commit > before, 'committed once b and c are back')
})

t.test('thesis §4.2.1 a learner does not campaign, however long it goes without a leader', async (t) => {
  const c = withLearner(63)
  c.isolate('d')
  const term = c.peer('d').term
  c.tick('d', 50)
  c.stabilize()
  t.equal(c.peer('d').role, 'follower')
  t.equal(c.peer('d').term, term, 'term unchanged')
  t.equal(c.sentOf('vote', (m) => m.from === 'd').length + c.sentOf('preVote', (m) => m.from === 'd').length, 0, 'no vote requests')
})

t.test('thesis §4.1 a learner promoted to voter counts in the quorum of the new configuration', async (t) => {
  const c = withLearner(64)
  change(c, { type: 'addVoter', node: 'd' })
  const a = c.peer('a')
  t.same([...a.status().conf.voters].sort(), ['a', 'b', 'c', 'd'], 'd is a voter')
  t.same(a.status().conf.learners, [], 'and no longer a learner')
  t.same([...c.peer('d').status().conf.voters].sort(), ['a', 'b', 'c', 'd'], 'd knows it')
  // Four voters: a quorum is three. a, d alone cannot commit; a, b, d can.
  const cut = [c.isolate('b'), c.isolate('c')]
  const before = a.commit
  t.ok(a.node.propose(new TextEncoder().encode('y')).ok)
  c.stabilize()
  t.equal(a.commit, before, 'a and d: 2 of 4, not committed')
  cut[0]?.()
  c.tickAll(2)
  t.ok(a.commit > before, 'a, b and d: 3 of 4, committed')
})

t.test('thesis §4.1 a removed server leaves the configuration and the quorum shrinks', async (t) => {
  const c = cluster(65)
  change(c, { type: 'remove', node: 'c' })
  const a = c.peer('a')
  t.same([...a.status().conf.voters].sort(), ['a', 'b'])
  t.equal(a.status().progress?.has('c'), false, 'the leader stops tracking c')
  c.isolate('c')
  c.propose('a', 'y')
  t.same(c.peer('b').appliedData(), ['y'], 'a and b commit alone')
})

t.test('thesis §4.1 a change is refused while another is pending', async (t) => {
  const c = cluster(66)
  c.addPeer('d')
  c.addPeer('e')
  const a = c.peer('a').node
  t.ok(a.proposeConfChange({ type: 'addLearner', node: 'd' }).ok, 'the first change is accepted')
  const second = a.proposeConfChange({ type: 'addLearner', node: 'e' })
  t.match(second, { ok: false, reason: 'confChangePending' }, 'the second waits for the first to be applied')
  c.stabilize()
  t.ok(a.proposeConfChange({ type: 'addLearner', node: 'e' }).ok, 'accepted once the first is applied')
  c.stabilize()
  t.same([...c.peer('a').status().conf.learners].sort(), ['d', 'e'])
})

t.test('thesis §4.1 (raft-dev erratum, 2015) a new leader refuses changes until it commits an entry of its own term', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 67 })
  c.addPeer('d')
  const a = c.peer('a')
  a.node.campaign()
  // Deliver votes but no appends, until a is leader: its no-op is not committed yet.
  for (let i = 0; i < 10 && a.role !== 'leader'; i++) {
    c.process()
    c.deliver((m) => m.type === 'vote' || m.type === 'voteResp')
  }
  t.equal(a.role, 'leader')
  t.equal(a.commit, 0, 'the no-op is not committed yet')
  t.match(a.node.proposeConfChange({ type: 'addLearner', node: 'd' }), { ok: false, reason: 'confChangePending' })
  c.stabilize()
  t.ok(a.commit > 0)
  t.ok(a.node.proposeConfChange({ type: 'addLearner', node: 'd' }).ok, 'accepted once the no-op commits')
})

t.test('thesis §4.1 changes that would leave no voter, or name an unknown node, are refused', async (t) => {
  const c = new Cluster(['a'], { seed: 68 })
  c.elect('a')
  const a = c.peer('a').node
  t.match(a.proposeConfChange({ type: 'remove', node: 'a' }), { ok: false, reason: 'invalidConfChange' }, 'removing the last voter')
  t.match(a.proposeConfChange({ type: 'remove', node: 'z' }), { ok: false, reason: 'invalidConfChange' }, 'removing a stranger')
})

t.test('thesis §4.2.2 a leader removed from the configuration steps down, and the others elect a leader', async (t) => {
  const c = cluster(69)
  change(c, { type: 'remove', node: 'a' })
  const a = c.peer('a')
  t.not(a.role, 'leader', 'a stepped down once the change committed')
  t.ok(a.events.some((e) => e.type === 'stepDown' && e.reason === 'removed'), 'and said why')
  t.same([...c.peer('b').status().conf.voters].sort(), ['b', 'c'], 'b and c applied the change')
  const ticks = c.tickUntil(() => c.leader() !== undefined, 60)
  t.ok(ticks > 0, 'a new leader is elected')
  t.ok(['b', 'c'].includes(c.leader()?.id ?? ''), `among the remaining voters (${c.leader()?.id})`)
  c.propose(c.leader()?.id ?? 'b', 'z')
  t.same(c.peer('c').appliedData(), ['z'], 'the new configuration commits')
})
