import t from 'tap'
import type { MessageReceiver } from '../../../src/raft/driver.js'
import { MemoryNetwork } from '../../../src/raft/memory-transport.js'
import type { Message, NodeId } from '../../../src/raft/types.js'

class Inbox implements MessageReceiver {
  got: Message[] = []
  unreachable: NodeId[] = []
  receive(m: Message): void {
    this.got.push(m)
  }
  reportUnreachable(id: NodeId): void {
    this.unreachable.push(id)
  }
}

const hb = (from: NodeId, to: NodeId): Message => ({ type: 'heartbeat', from, to, term: 1, commit: 0, context: new Uint8Array() })
const tick = (): Promise<void> => new Promise((r) => setImmediate(r))

function pair(delivery?: 'microtask' | 'immediate') {
  const net = new MemoryNetwork(delivery ? { delivery } : {})
  const a = new Inbox()
  const b = new Inbox()
  net.endpoint('a').attach(a)
  net.endpoint('b').attach(b)
  return { net, a, b }
}

for (const delivery of ['microtask', 'immediate'] as const) {
  t.test(`${delivery}: delivers asynchronously, by reference, in order`, async (t) => {
    const { net, b } = pair(delivery)
    const m1 = hb('a', 'b')
    const m2 = hb('a', 'b')
    net.endpoint('a').send([m1, m2])
    t.equal(b.got.length, 0, 'nothing arrives during send')
    await tick()
    await tick()
    t.equal(b.got[0], m1)
    t.equal(b.got[1], m2)
    t.equal(net.stats.delivered, 2)
  })
}

t.test('a cut node neither sends nor receives, and senders learn it is unreachable', async (t) => {
  const { net, a, b } = pair()
  net.cut('b')
  net.endpoint('a').send([hb('a', 'b')])
  net.endpoint('b').send([hb('b', 'a')])
  await tick()
  t.equal(a.got.length + b.got.length, 0)
  t.same(a.unreachable, ['b'])
  t.equal(net.stats.dropped, 2)
  net.heal('b')
  net.endpoint('a').send([hb('a', 'b')])
  await tick()
  t.equal(b.got.length, 1)
})

t.test('messages to a detached or unknown node are dropped', async (t) => {
  const { net, a, b } = pair()
  net.detach('b')
  net.endpoint('a').send([hb('a', 'b'), hb('a', 'zz')])
  await tick()
  t.equal(b.got.length, 0)
  t.same(a.unreachable, ['b', 'zz'])
})
