// Unit tests of ReadIndex bookkeeping.
import t from 'tap'
import { ReadOnly, contextKey } from '../../../src/raft/read-only.js'

const ctx = (s: string): Uint8Array => new TextEncoder().encode(s)

t.test('acks accumulate per context; advance releases it and every earlier request', async (t) => {
  const ro = new ReadOnly()
  ro.addRequest(5, { from: 'a', context: ctx('r1') })
  ro.addRequest(6, { from: 'b', context: ctx('r2') })
  ro.addRequest(7, { from: 'a', context: ctx('r3') })
  t.equal(ro.size, 3)
  t.same(ro.lastPendingContext(), ctx('r3'))
  t.same([...(ro.recvAck('x', ctx('r2')) ?? new Map()).keys()], ['x'])
  t.same([...(ro.recvAck('y', ctx('r2')) ?? new Map()).keys()], ['x', 'y'])
  t.equal(ro.recvAck('y', ctx('nope')), undefined)
  const done = ro.advance(ctx('r2'))
  t.same(done.map((r) => [r.index, r.from]), [[5, 'a'], [6, 'b']])
  t.equal(ro.size, 1)
  t.same(ro.advance(ctx('r2')), [], 'already released')
  t.same(ro.advance(ctx('r3')).map((r) => r.index), [7])
  t.equal(ro.lastPendingContext(), undefined)
})

t.test('a duplicate context keeps the first request', async (t) => {
  const ro = new ReadOnly()
  ro.addRequest(5, { from: 'a', context: ctx('r') })
  ro.addRequest(9, { from: 'a', context: ctx('r') })
  t.equal(ro.size, 1)
  t.same(ro.advance(ctx('r')).map((r) => r.index), [5])
})

t.test('contextKey is injective on bytes', async (t) => {
  t.not(contextKey(new Uint8Array([1, 2])), contextKey(new Uint8Array([18])))
  t.equal(contextKey(new Uint8Array([0, 255])), '00ff')
})
