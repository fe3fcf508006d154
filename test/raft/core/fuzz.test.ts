// The core never throws on input from the network: malformed and adversarial messages are counted
// and ignored. fast-check prints the failing seed and the shrunk message list.
import fc from 'fast-check'
import t from 'tap'
import type { Message } from '../../../src/raft/types.js'
import { Cluster, bytes } from './cluster.js'

const TYPES = ['preVote', 'vote', 'preVoteResp', 'voteResp', 'app', 'appResp', 'heartbeat', 'heartbeatResp', 'snap', 'snapResp', 'timeoutNow', 'readIndex', 'readIndexResp', 'bogus']
const id = fc.constantFrom('a', 'b', 'c', 'x', '', 7 as unknown as string)
const num = fc.oneof(fc.nat({ max: 12 }), fc.constantFrom(-1, 1.5, Number.NaN, 2 ** 60, '3' as unknown as number))
const data = fc.oneof(fc.uint8Array({ maxLength: 8 }), fc.constant('str' as unknown as Uint8Array))
const entry = fc.record({ index: num, term: num, type: fc.constantFrom('normal', 'conf', 'x'), data })
const conf = fc.record({ voters: fc.array(id, { maxLength: 3 }), learners: fc.array(id, { maxLength: 2 }) })

const message = fc.record({
  type: fc.constantFrom(...TYPES),
  from: id,
  to: id,
  term: num,
  lastLogIndex: num, lastLogTerm: num, transfer: fc.boolean(), reject: fc.boolean(),
  prevIndex: num, prevTerm: num, commit: num, entries: fc.array(entry, { maxLength: 3 }),
  index: num, hintIndex: num, hintTerm: num, context: data,
  metadata: fc.record({ index: num, term: num, conf }), offset: num, totalBytes: num,
  snapshotIndex: num, received: num, data,
}, { requiredKeys: ['type', 'from', 'to', 'term'] }) as fc.Arbitrary<unknown> as fc.Arbitrary<Message>

/** A 3-node cluster with a leader and some committed entries; target receives the fuzz. */
function setup(): Cluster {
  const c = Cluster.withVoters(['a', 'b', 'c'], 1, { maxSnapshotChunkBytes: 4 })
  c.get('a').node.campaign()
  c.stabilize()
  c.get('a').node.propose(bytes('x'))
  c.stabilize()
  return c
}

t.test('no message, however malformed or adversarial, makes a node throw', async (t) => {
  fc.assert(
    fc.property(fc.constantFrom('a', 'b'), fc.array(message, { minLength: 1, maxLength: 30 }), (target, ms) => {
      const c = setup()
      const node = c.get(target).node
      for (const m of ms) {
        node.step(m)
        c.stabilize() // the node's answers and their consequences must not throw either
        c.tickAll(1)
      }
    }),
    { numRuns: 300 },
  )
  t.pass('300 runs')
})

t.test('dropped messages are counted by reason', async (t) => {
  const c = setup()
  const b = c.get('b').node
  b.step({ type: 'heartbeat', from: 'a', to: 'zz', term: 1, commit: 0, context: new Uint8Array() })
  b.step({ type: 'app', from: 'a', to: 'b', term: 1, prevIndex: 0, prevTerm: 0, entries: [{ index: 5, term: 1, type: 'normal', data: new Uint8Array() }], commit: 0 })
  b.step(null as unknown as Message)
  t.equal(b.counters.droppedInvalid, 3, 'misaddressed, non-contiguous entries, not an object')
  const a = c.get('a').node
  a.step({ type: 'appResp', from: 'stranger', to: 'a', term: 1, index: 1, reject: false, hintIndex: 0, hintTerm: 0 })
  t.equal(a.counters.droppedUnknownNode, 1, 'a response from outside the configuration')
  a.step({ type: 'readIndex', from: 'stranger', to: 'a', term: 1, context: bytes('q') })
  t.equal(a.counters.droppedUnknownNode, 1, 'requests from unknown nodes are not counted')
  a.step({ type: 'heartbeatResp', from: 'b', to: 'a', term: 0, context: new Uint8Array() })
  t.equal(a.counters.droppedStaleTerm, 1)
  const before = a.counters.droppedInvalid
  a.step({ type: 'appResp', from: 'b', to: 'a', term: 1, index: 99, reject: false, hintIndex: 0, hintTerm: 0 })
  t.equal(a.counters.droppedInvalid, before + 1, 'an ack of entries the leader never had')
  t.equal(a.status().role, 'leader', 'and the leader is unmoved')
})
