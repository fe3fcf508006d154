import t from 'tap'
import { encode } from '../../src/raft/codec.js'
import { newCounters } from '../../src/net/counters.js'
import { encodeFrames } from '../../src/net/frame.js'
import { nullLogger } from '../../src/net/logger.js'
import { RaftReader } from '../../src/net/raft-reader.js'
import { app, heartbeat } from './helpers.js'
import type { Message } from '../../src/raft/types.js'

function reader (handler?: (m: Message) => void): { r: RaftReader, got: Message[], counters: ReturnType<typeof newCounters> } {
  const got: Message[] = []
  const counters = newCounters()
  const r = new RaftReader({
    remotePeer: 'A',
    maxFrameBytes: 1024,
    counters,
    log: nullLogger,
    deliver: handler ?? (m => { got.push(m) })
  })
  return { r, got, counters }
}

t.test('valid messages are delivered in order with their bytes intact', async t => {
  const { r, got, counters } = reader()
  r.push(encodeFrames([encode(app('A', 'B', 1, new Uint8Array([1, 2, 3]))), encode(heartbeat('A', 'B', 5))]))
  t.same(got.map(m => m.type), ['app', 'heartbeat'])
  const first = got[0] as Extract<Message, { type: 'app' }>
  t.same([...(first.entries[0]?.data ?? [])], [1, 2, 3])
  t.ok(first.entries[0]?.data instanceof Uint8Array)
  t.equal(counters.messagesIn, 2)
})

t.test('bad frames are dropped by reason and the stream keeps flowing', async t => {
  const { r, got, counters } = reader()
  const undecodable = new Uint8Array([0x92, 1]) // an array of two with one element: truncated
  const notAMessage = encode({ hello: 'world' })
  const badField = encode({ ...heartbeat('A', 'B'), commit: -1 })
  const spoofed = encode(heartbeat('C', 'B'))
  const oversize = new Uint8Array(2000)
  r.push(encodeFrames([undecodable, notAMessage, badField, spoofed, oversize, encode(heartbeat('A', 'B', 9))]))
  t.same(counters.droppedFrames, { undecodable: 1, invalid: 2, spoofed: 1, oversize: 1 })
  t.equal(got.length, 1)
  t.equal((got[0] as Extract<Message, { type: 'heartbeat' }>).commit, 9)
})

t.test('a throwing handler does not break the reader', async t => {
  let calls = 0
  const { r } = reader(() => { calls++; throw new Error('boom') })
  r.push(encodeFrames([encode(heartbeat('A', 'B')), encode(heartbeat('A', 'B'))]))
  t.equal(calls, 2)
})
