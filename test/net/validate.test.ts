import t from 'tap'
import { decode, encode } from '../../src/raft/codec.js'
import { invalidMessageReason } from '../../src/net/validate.js'
import type { Message } from '../../src/raft/types.js'

const h = { from: 'A', to: 'B', term: 3 }
const bytes = new Uint8Array([1])
const conf = { voters: ['A', 'B'], learners: [] }

const samples: Message[] = [
  { ...h, type: 'preVote', lastLogIndex: 1, lastLogTerm: 1, transfer: false },
  { ...h, type: 'vote', lastLogIndex: 1, lastLogTerm: 1, transfer: true },
  { ...h, type: 'preVoteResp', reject: false },
  { ...h, type: 'voteResp', reject: true },
  { ...h, type: 'app', prevIndex: 0, prevTerm: 0, commit: 0, entries: [{ term: 1, index: 1, type: 'conf', data: bytes }] },
  { ...h, type: 'appResp', index: 1, reject: false, hintIndex: 0, hintTerm: 0 },
  { ...h, type: 'heartbeat', commit: 1, context: bytes },
  { ...h, type: 'heartbeatResp', context: new Uint8Array() },
  { ...h, type: 'snap', metadata: { index: 5, term: 2, conf }, offset: 0, totalBytes: 1, data: bytes },
  { ...h, type: 'snapResp', snapshotIndex: 5, received: 1, reject: false },
  { ...h, type: 'timeoutNow' },
  { ...h, type: 'readIndex', context: bytes },
  { ...h, type: 'readIndexResp', index: 4, context: bytes }
]

t.test('every message type survives the wire and validates', async t => {
  for (const m of samples) {
    t.equal(invalidMessageReason(decode(encode(m))), undefined, m.type)
  }
})

t.test('each required field of each type is checked', async t => {
  for (const m of samples) {
    for (const field of Object.keys(m)) {
      if (field === 'to') continue
      const broken: Record<string, unknown> = { ...m }
      broken[field] = field === 'type' ? 'nope' : { wrong: true }
      t.not(invalidMessageReason(decode(encode(broken))), undefined, `${m.type}.${field}`)
      delete broken[field]
      t.not(invalidMessageReason(decode(encode(broken))), undefined, `${m.type} without ${field}`)
    }
  }
})

t.test('nested values are checked', async t => {
  const badEntry = { ...h, type: 'app', prevIndex: 0, prevTerm: 0, commit: 0, entries: [{ term: 1, index: 1, type: 'weird', data: bytes }] }
  t.equal(invalidMessageReason(badEntry), 'bad entries')
  const badConf = { ...h, type: 'snap', metadata: { index: 5, term: 2, conf: { voters: [1], learners: [] } }, offset: 0, totalBytes: 1, data: bytes }
  t.equal(invalidMessageReason(badConf), 'bad metadata')
  t.equal(invalidMessageReason({ ...h, type: 'timeoutNow', term: 1.5 }), 'bad term')
  t.equal(invalidMessageReason([1, 2]), 'not a map')
  t.equal(invalidMessageReason(null), 'not a map')
  t.equal(invalidMessageReason({ ...h, type: 'toString' }), 'unknown type')
})
