// Entries the log keeps own their bytes: a proposal handed over as a view into a larger buffer (msgpackr
// packs into a shared 8 KB buffer) is copied, so the log never keeps the rest of that buffer alive.
import t from 'tap'
import { decode, encode } from '../../../src/raft/codec.js'
import { Cluster } from './cluster.js'

t.test('a proposal given as a view of a larger buffer is stored as a copy of just its bytes', async (t) => {
  const c = Cluster.withVoters(['a', 'b', 'c'], 1, {})
  c.get('a').node.campaign()
  c.stabilize()
  const shared = new Uint8Array(8192).fill(7)
  shared.set(new TextEncoder().encode('hello'), 100)
  const view = shared.subarray(100, 105)
  t.ok(c.get('a').node.propose(view).ok)
  c.stabilize()
  t.same(c.appliedData('b'), ['hello'], 'replicated and applied')
  const stored = c.get('a').applied.find((e) => e.type === 'normal' && e.data.byteLength === 5)!
  t.equal(stored.data.buffer.byteLength, 5, 'the stored data owns exactly its 5 bytes')
  shared.fill(0)
  t.equal(new TextDecoder().decode(stored.data), 'hello', 'and does not change with the shared buffer')
})

t.test('data that already owns its buffer is kept as it is (no copy)', async (t) => {
  const c = Cluster.withVoters(['a'], 1, {})
  c.get('a').node.campaign()
  c.stabilize()
  const own = new TextEncoder().encode('mine')
  c.get('a').node.propose(own)
  c.stabilize()
  t.equal(c.get('a').applied.find((e) => e.type === 'normal' && e.data.byteLength === 4)!.data, own)
})

t.test('the codec: encodings share a buffer, decoded byte strings are copies', async (t) => {
  const a = encode({ n: 1 })
  const b = encode({ data: new Uint8Array([1, 2, 3]) })
  t.equal(a.buffer, b.buffer, 'msgpackr packs both into one shared buffer (why propose copies)')
  const decoded = decode<{ data: Uint8Array }>(b)
  t.same([...decoded.data], [1, 2, 3])
  t.equal(decoded.data.buffer.byteLength, 3, 'a decoded byte string holds no reference to the message it came in')
})
