// Thesis §6.4 Processing read-only queries more efficiently (ReadIndex), and §6.4.1 reads served through followers.
import t from 'tap'
import { Cluster, bytes, text } from './harness.js'

function ctxs(c: Cluster, id: string): string[] {
  return c.peer(id).readStates.map((r) => text(r.context))
}

t.test('thesis §6.4 the leader records its commit index, then confirms leadership with a heartbeat round before answering', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 81 })
  c.elect('a')
  c.propose('a', 'x')
  const a = c.peer('a')
  const commit = a.commit
  t.same(a.node.readIndex(bytes('r1')), { ok: true })
  c.process('a')
  t.same(ctxs(c, 'a'), [], 'no answer before the round')
  const beats = c.queue.filter((m) => m.type === 'heartbeat' && m.from === 'a')
  t.same(beats.map((m) => m.to).sort(), ['b', 'c'], 'a heartbeat to each follower')
  t.ok(beats.every((m) => m.type === 'heartbeat' && m.context.length > 0), 'carrying the read context')
  c.deliver()
  c.process('b', 'c')
  c.deliver((m) => m.from === 'b')
  c.queue = [] // c's acknowledgement is lost: b and a are a majority
  c.process('a')
  t.same(ctxs(c, 'a'), ['r1'], 'answered once a majority acknowledged')
  t.equal(a.readStates[0]?.index, commit, 'with the commit index at the time of the request')
})

t.test('thesis §6.4 a deposed leader cut off with a minority never answers a read', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 82 })
  c.elect('a')
  const heal = c.isolate('a')
  c.elect('b')
  c.propose('b', 'newer')
  t.equal(c.peer('a').role, 'leader', 'a still believes it leads (no check-quorum)')
  const r = c.peer('a').node.readIndex(bytes('stale'))
  c.stabilize()
  c.tick('a', 3)
  c.stabilize()
  t.same(ctxs(c, 'a'), [], `no read state while cut off (readIndex returned ${JSON.stringify(r)})`)
  heal()
  c.tickAll(3)
  t.not(c.peer('a').role, 'leader', 'a learned of the newer term')
  t.same(ctxs(c, 'a'), [], 'and the stale read was never answered')
})

t.test('thesis §6.4.1 a follower serves a read by asking the leader for its read index', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 83 })
  c.elect('a')
  const x = c.propose('a', 'x')
  t.same(c.peer('b').node.readIndex(bytes('f1')), { ok: true })
  c.stabilize()
  t.equal(c.sentOf('readIndex', (m) => m.from === 'b' && m.to === 'a').length, 1, 'forwarded to the leader')
  t.equal(c.sentOf('readIndexResp', (m) => m.from === 'a' && m.to === 'b').length, 1, 'answered by the leader')
  t.same(ctxs(c, 'b'), ['f1'], 'b gets the read state')
  t.ok((c.peer('b').readStates[0]?.index ?? 0) >= x.index, 'at an index covering every write committed before the read')
})

t.test('thesis §6.4 a read with no known leader is refused', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 84 })
  t.match(c.peer('b').node.readIndex(bytes('r')), { ok: false, reason: 'noLeader' })
})
