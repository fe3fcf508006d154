// §5.5 Follower and candidate crashes (and §5.2's persistent state: currentTerm and votedFor survive restarts).
import t from 'tap'
import { ABC, Cluster, Solo, ofType, storageWith, voteReq } from './harness.js'

t.test('§5.5 if a follower crashes, the leader retries; when it restarts it resumes and catches up', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 55 })
  c.elect('a')
  c.propose('a', 'x')
  const before = c.peer('c').applied.length
  c.crash('c')
  c.propose('a', 'y')
  c.propose('a', 'z')
  t.equal(c.peer('a').commit, c.peer('a').status().lastIndex, 'a and b commit without c')
  const c2 = c.restart('c')
  t.equal(c2.role, 'follower', 'restarts as a follower')
  t.equal(c2.term, c.peer('a').term, 'with its persisted term')
  t.equal(c2.applied.length, before, 'nothing re-applied at restart (applied index given to the core)')
  const ticks = c.tickUntil(() => c2.appliedData().length === 3, 20)
  t.ok(ticks > 0, `caught up after ${ticks} tick(s)`)
  t.same(c2.appliedData(), ['x', 'y', 'z'], 'applies the missed entries exactly once, in order')
  t.equal(c.peer('a').role, 'leader', 'without disturbing the leader')
})

t.test('§5.5 a node restarted from storage alone re-applies committed entries from its snapshot on', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 56 })
  c.elect('a')
  c.propose('a', 'x')
  c.propose('a', 'y')
  const b = c.peer('b')
  c.crash('b')
  b.applied.length = 0
  b.appliedIndex = 0 // the state machine was lost with the process
  c.restart('b')
  c.stabilize()
  c.tickAll(2)
  t.same(b.appliedData(), ['x', 'y'], 'committed entries handed out again from index 1')
})

t.test('§5.5 a candidate that crashes restarts with its term and vote, and never votes twice in that term', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 57 })
  c.elect('a')
  const heal = c.isolate('c')
  c.peer('c').node.campaign()
  c.stabilize()
  const term = c.peer('c').term
  t.equal(c.peer('c').role, 'candidate', 'c campaigns alone')
  c.crash('c')
  const c2 = c.restart('c')
  t.equal(c2.term, term, 'term persisted')
  t.equal(c2.status().vote, 'c', 'vote for itself persisted')
  t.not(c2.role, 'leader')
  heal()
  const ticks = c.tickUntil(() => c.leader() !== undefined && c.peers.size === [...c.peers.values()].filter((p) => p.term === c.leader()?.term).length, 60)
  t.ok(ticks > 0, 'the cluster converges on one leader and term after c rejoins')
  c.propose(c.leader()?.id ?? 'a', 'after')
  t.same(c2.appliedData(), ['after'], 'and c applies new entries')
})

t.test('§5.2 votedFor is persistent: a voter that restarts does not grant a second vote in the same term', async (t) => {
  const storage = storageWith(ABC, [], { term: 0, vote: '', commit: 0 })
  const s = new Solo('b', storage)
  const first = ofType(s.step(voteReq('a', 'b', 1, 0, 0)), 'voteResp')
  t.equal(first[0]?.reject, false, 'b votes for a in term 1')
  const restarted = new Solo('b', storage)
  t.equal(restarted.status().vote, 'a', 'the vote survived the restart')
  const second = ofType(restarted.step(voteReq('c', 'b', 1, 0, 0)), 'voteResp')
  t.equal(second[0]?.reject, true, 'c is refused in the same term')
})
