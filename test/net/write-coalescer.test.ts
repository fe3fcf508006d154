// The write coalescer under the private network (src/net/write-coalescer.ts): writes gathered in one
// turn leave as one socket write, in order; backpressure from the socket and from the gathered size
// reaches the writer and is lifted again; a throwing socket reports an error instead of throwing.
import t from 'tap'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { privateNetwork } from '../../src/net/pnet.js'
import { createJoinToken, swarmKeyFromToken } from '../../src/net/token.js'
import { WriteCoalescer } from '../../src/net/write-coalescer.js'

const bytes = (...xs: number[]): Uint8Array => new Uint8Array(xs)

interface Harness {
  readonly c: WriteCoalescer
  /** Each socket write, joined. */
  readonly writes: number[][]
  readonly events: string[]
  /** Runs the scheduled flush, if any. */
  tick: () => void
  /** What the socket answers to the next writes. */
  socketAccepts: boolean
  throwOnWrite: Error | undefined
}

function harness (maxPendingBytes?: number): Harness {
  let scheduled: (() => void) | undefined
  const h: Harness = {
    writes: [],
    events: [],
    socketAccepts: true,
    throwOnWrite: undefined,
    tick: () => {
      const f = scheduled
      scheduled = undefined
      f?.()
    },
    c: undefined as unknown as WriteCoalescer
  }
  const c = new WriteCoalescer({
    write: (chunks, byteLength) => {
      if (h.throwOnWrite !== undefined) throw h.throwOnWrite
      const joined = chunks.flatMap(x => [...x])
      if (joined.length !== byteLength) throw new Error('byteLength does not match the chunks')
      h.writes.push(joined)
      return h.socketAccepts
    },
    onWritable: () => { h.events.push('writable') },
    onError: err => { h.events.push(`error ${err.message}`) },
    ...(maxPendingBytes === undefined ? {} : { maxPendingBytes }),
    schedule: flush => {
      if (scheduled !== undefined) throw new Error('flush scheduled twice')
      scheduled = flush
    }
  })
  return Object.assign(h, { c })
}

t.test('writes of one turn leave as one socket write, in order; the next turn writes again', async t => {
  const h = harness()
  t.equal(h.c.push(bytes(1, 2)), true)
  t.equal(h.c.push(bytes(3)), true)
  t.equal(h.c.push(bytes(4, 5, 6)), true)
  t.same(h.writes, [], 'nothing is written before the flush')
  t.equal(h.c.pendingByteLength, 6)
  h.tick()
  t.same(h.writes, [[1, 2, 3, 4, 5, 6]])
  h.c.push(bytes(7))
  h.tick()
  t.same(h.writes, [[1, 2, 3, 4, 5, 6], [7]])
  h.tick()
  t.equal(h.writes.length, 2, 'an empty turn writes nothing')
  t.same(h.events, [])
})

t.test('a full socket makes the writer wait until it drains; what was gathered meanwhile follows in one write', async t => {
  const h = harness()
  h.socketAccepts = false
  h.c.push(bytes(1))
  h.tick()
  t.same(h.writes, [[1]])
  h.socketAccepts = true
  t.equal(h.c.push(bytes(2)), false, 'the writer is told to wait')
  t.equal(h.c.push(bytes(3)), false, 'more is still taken')
  h.tick()
  t.same(h.writes, [[1]], 'nothing is written while the socket wants a drain')
  t.same(h.events, [])
  h.c.socketDrained()
  t.same(h.writes, [[1], [2, 3]])
  t.same(h.events, ['writable'], 'the waiting writer goes on once')
  t.equal(h.c.push(bytes(4)), true)
})

t.test('too much gathered in one turn makes the writer wait until it is written', async t => {
  const h = harness(4)
  t.equal(h.c.push(bytes(1, 2)), true)
  t.equal(h.c.push(bytes(3, 4)), false)
  h.tick()
  t.same(h.writes, [[1, 2, 3, 4]])
  t.same(h.events, ['writable'])
})

t.test('flushAll writes what was gathered at once, even to a full socket (before a graceful close)', async t => {
  const h = harness()
  h.socketAccepts = false
  h.c.push(bytes(1))
  h.tick()
  h.c.push(bytes(2))
  h.c.flushAll()
  t.same(h.writes, [[1], [2]])
  t.equal(h.c.pendingByteLength, 0)
})

t.test('clear drops what was gathered; a throwing socket reports an error and drops the rest', async t => {
  const h = harness()
  h.c.push(bytes(1))
  h.c.clear()
  h.tick()
  t.same(h.writes, [])
  h.c.push(bytes(2))
  h.throwOnWrite = new Error('socket closed')
  h.tick()
  t.same(h.events, ['error socket closed'])
  t.equal(h.c.pendingByteLength, 0)
})

t.test('over a private-network connection, frames written in one turn cross the socket in one write and arrive intact', async t => {
  const psk = swarmKeyFromToken(createJoinToken())
  const [rawA, rawB] = multiaddrConnectionPair()
  const [a, b] = await Promise.all([privateNetwork({ psk })().protect(rawA), privateNetwork({ psk })().protect(rawB)])
  let socketWrites = 0
  const send = rawA.send.bind(rawA)
  rawA.send = (data: Parameters<typeof rawA.send>[0]) => {
    socketWrites++
    return send(data)
  }
  const got: number[] = []
  const arrived = new Promise<void>(resolve => {
    b.addEventListener('message', evt => {
      got.push(...evt.data.subarray())
      if (got.length >= 6) resolve()
    })
  })
  a.send(bytes(1, 2))
  a.send(bytes(3))
  a.send(bytes(4, 5, 6))
  await arrived
  t.same(got, [1, 2, 3, 4, 5, 6])
  t.equal(socketWrites, 1)
  a.send(bytes(7))
  await new Promise(resolve => setImmediate(resolve))
  t.equal(socketWrites, 2, 'a later turn writes again')
  await Promise.all([a.close(), b.close()])
})
