// RaftLink against a fake stream: batching, backpressure, the bounded queue, redial after failures.
import t from 'tap'
import { decode } from '../../src/raft/codec.js'
import { Backoff } from '../../src/net/backoff.js'
import { newCounters } from '../../src/net/counters.js'
import { FrameDecoder } from '../../src/net/frame.js'
import { nullLogger } from '../../src/net/logger.js'
import { RaftLink } from '../../src/net/raft-link.js'
import { heartbeat, waitFor } from './helpers.js'
import type { Message } from '../../src/raft/types.js'
import type { Stream } from '@libp2p/interface'

/** Just enough of a libp2p Stream: records writes; send() reports "full" while `full` is set. */
class FakeStream extends EventTarget {
  writes: Uint8Array[] = []
  full = false
  private drained: Array<() => void> = []
  send (data: Uint8Array): boolean {
    this.writes.push(data)
    return !this.full
  }
  async onDrain (): Promise<void> { await new Promise<void>(resolve => { this.drained.push(resolve) }) }
  drain (): void {
    this.full = false
    for (const r of this.drained.splice(0)) r()
  }
  async close (): Promise<void> {}
  abort (): void { this.dispatchEvent(Object.assign(new Event('close'), { error: new Error('aborted') })) }
  messages (): Message[] {
    const out: Message[] = []
    const dec = new FrameDecoder()
    for (const w of this.writes) dec.push(w, { frame: b => { out.push(decode<Message>(b)) }, oversize: () => {} })
    return out
  }
}

function link (open: () => Promise<FakeStream>, over: { maxQueuedMessages?: number, redial?: boolean } = {}): { l: RaftLink, counters: ReturnType<typeof newCounters>, events: string[] } {
  const counters = newCounters()
  const events: string[] = []
  const l = new RaftLink({
    peer: 'B',
    open: async () => await open() as unknown as Stream,
    backoff: new Backoff({ initialMs: 1, maxMs: 4 }),
    counters,
    log: nullLogger,
    maxFrameBytes: 1024,
    maxQueuedMessages: over.maxQueuedMessages ?? 100,
    maxQueuedBytes: 1 << 20,
    maxBatchBytes: 1 << 20,
    ...(over.redial === undefined ? {} : { redial: over.redial }),
    onConnected: () => { events.push('up') },
    onDisconnected: () => { events.push('down') },
    onQueueDrop: n => { events.push(`drop ${n}`) }
  })
  return { l, counters, events }
}

t.test('messages sent in one tick leave in one write, in order', async t => {
  const s = new FakeStream()
  const { l } = link(async () => s)
  l.start()
  await waitFor(() => l.isOpen, 'open')
  for (let i = 1; i <= 10; i++) l.enqueue(heartbeat('A', 'B', i))
  await waitFor(() => s.writes.length > 0, 'a write')
  t.equal(s.writes.length, 1)
  t.same(s.messages().map(m => (m as Extract<Message, { type: 'heartbeat' }>).commit), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  l.stop()
})

t.test('while the stream needs a drain, messages wait in the bounded queue and the oldest are dropped', async t => {
  const s = new FakeStream()
  const { l, counters, events } = link(async () => s, { maxQueuedMessages: 5 })
  l.start()
  await waitFor(() => l.isOpen, 'open')
  s.full = true
  l.enqueue(heartbeat('A', 'B', 0))
  await waitFor(() => s.writes.length === 1, 'first write')
  for (let i = 1; i <= 8; i++) l.enqueue(heartbeat('A', 'B', i))
  await new Promise(resolve => setTimeout(resolve, 5))
  t.equal(s.writes.length, 1, 'nothing written before drain')
  t.equal(counters.droppedSends.queueFull, 3)
  t.ok(events.includes('drop 1'))
  s.drain()
  await waitFor(() => s.writes.length === 2, 'write after drain')
  t.same(s.messages().map(m => (m as Extract<Message, { type: 'heartbeat' }>).commit), [0, 4, 5, 6, 7, 8])
  l.stop()
})

t.test('oversize messages are dropped before queueing', async t => {
  const s = new FakeStream()
  const { l, counters } = link(async () => s)
  l.enqueue({ type: 'heartbeat', from: 'A', to: 'B', term: 1, commit: 0, context: new Uint8Array(2000) })
  t.equal(counters.droppedSends.oversize, 1)
  t.equal(l.queued, 0)
})

t.test('failed dials are retried with backoff; a broken stream is replaced', async t => {
  let attempts = 0
  const streams: FakeStream[] = []
  const { l, counters, events } = link(async () => {
    attempts++
    if (attempts <= 3) throw new Error('refused')
    const s = new FakeStream()
    streams.push(s)
    return s
  })
  l.enqueue(heartbeat('A', 'B', 1))
  l.start()
  await waitFor(() => l.isOpen, 'open after failures')
  t.equal(counters.dialFailures, 3)
  await waitFor(() => streams[0]!.writes.length === 1, 'queued message delivered on connect')
  streams[0]!.abort()
  t.notOk(l.isOpen)
  await waitFor(() => streams.length === 2 && l.isOpen, 'redialled')
  l.enqueue(heartbeat('A', 'B', 2))
  await waitFor(() => streams[1]!.writes.length === 1, 'delivered on the new stream')
  t.same(events, ['down', 'down', 'down', 'up', 'down', 'up'])
  l.stop()
  l.enqueue(heartbeat('A', 'B', 3))
  t.equal(l.queued, 0, 'a stopped link drops everything')
})

t.test('without redial (a reply link), a failed open or a broken stream stops the link for good', async t => {
  let attempts = 0
  const failing = link(async () => {
    attempts++
    throw new Error('no connection')
  }, { redial: false })
  failing.l.enqueue(heartbeat('A', 'B', 1))
  failing.l.start()
  await waitFor(() => failing.events.length === 1, 'the failure reported')
  await new Promise(resolve => setTimeout(resolve, 20))
  t.equal(attempts, 1, 'never retried')
  t.same(failing.events, ['down'])
  failing.l.enqueue(heartbeat('A', 'B', 2))
  t.equal(failing.l.queued, 0, 'stopped: drops everything')

  const s = new FakeStream()
  let opens = 0
  const { l, events } = link(async () => {
    opens++
    return s
  }, { redial: false })
  l.start()
  await waitFor(() => l.isOpen, 'open')
  l.enqueue(heartbeat('A', 'B', 3))
  await waitFor(() => s.writes.length === 1, 'delivered')
  s.abort()
  await new Promise(resolve => setTimeout(resolve, 20))
  t.equal(opens, 1, 'not reopened')
  t.notOk(l.isOpen)
  t.same(events, ['up', 'down'])
  l.enqueue(heartbeat('A', 'B', 4))
  t.equal(l.queued, 0)
})
