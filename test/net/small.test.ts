// Backoff, send queue and address parsing: the small pure pieces of the net layer.
import t from 'tap'
import { parseAddress, peerIdOfAddress, withoutPeerId } from '../../src/net/addr.js'
import { Backoff } from '../../src/net/backoff.js'
import { SendQueue } from '../../src/net/send-queue.js'
import { seededRand } from '../../src/raft/rand.js'

t.test('backoff doubles from 50 ms, caps at 2 s, jitters within [d/2, d], resets', async t => {
  const b = new Backoff({}, seededRand(7))
  const delays = Array.from({ length: 10 }, () => b.next())
  const caps = [50, 100, 200, 400, 800, 1600, 2000, 2000, 2000, 2000]
  delays.forEach((d, i) => {
    t.ok(d >= caps[i]! / 2 && d <= caps[i]!, `attempt ${i}: ${d} in [${caps[i]! / 2}, ${caps[i]}]`)
  })
  t.equal(b.failures, 10)
  b.reset()
  t.ok(b.next() <= 50)
  const lo = new Backoff({}, () => 0)
  const hi = new Backoff({}, () => 0.999999)
  t.equal(lo.next(), 25)
  t.ok(hi.next() > 49.9)
})

t.test('send queue drops the oldest when over count or bytes', async t => {
  const q = new SendQueue({ maxMessages: 3, maxBytes: 100 })
  const b = (n: number, size = 1): Uint8Array => new Uint8Array(size).fill(n)
  t.equal(q.push(b(1)), 0)
  q.push(b(2)); q.push(b(3))
  t.equal(q.push(b(4)), 1)
  t.same(q.takeBatch(10, 1000).map(x => x[0]), [2, 3, 4])
  q.push(b(5, 60))
  t.equal(q.push(b(6, 60)), 1, 'byte bound drops the oldest')
  t.equal(q.byteLength, 60)
  t.equal(q.push(b(7, 500)), 1, 'a single oversize item is kept alone')
  t.equal(q.length, 1)
})

t.test('send queue batches by bytes, at least one item', async t => {
  const q = new SendQueue({ maxMessages: 100, maxBytes: 10_000 })
  for (let i = 0; i < 5; i++) q.push(new Uint8Array(40))
  q.push(new Uint8Array(500))
  const sizes: number[] = []
  while (q.length > 0) sizes.push(q.takeBatch(100, 100).length)
  t.same(sizes, [2, 2, 1, 1], 'the 500-byte item, larger than a batch, still goes alone')
})

t.test('send queue keeps order across compaction', async t => {
  const q = new SendQueue({ maxMessages: 5000, maxBytes: 1e9 })
  let next = 0
  const out: number[] = []
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 300; i++) q.push(Uint8Array.of(next++ & 0xff))
    for (const x of q.takeBatch(250, 1e9)) out.push(x[0] as number)
  }
  t.same(out, Array.from({ length: out.length }, (_, i) => i & 0xff))
  t.equal(q.length, next - out.length)
})

t.test('addresses: host:port, [v6]:port, names, multiaddrs', async t => {
  t.equal(parseAddress('10.0.0.5:7000').toString(), '/ip4/10.0.0.5/tcp/7000')
  t.equal(parseAddress('[::1]:7001').toString(), '/ip6/::1/tcp/7001')
  t.equal(parseAddress('::1', 7000).toString(), '/ip6/::1/tcp/7000')
  t.equal(parseAddress('node3.lan:7000').toString(), '/dns/node3.lan/tcp/7000')
  t.equal(parseAddress('10.0.0.5', 7000).toString(), '/ip4/10.0.0.5/tcp/7000')
  t.equal(parseAddress('/ip4/127.0.0.1/tcp/0').toString(), '/ip4/127.0.0.1/tcp/0')
  for (const bad of ['10.0.0.5', ':7000', '10.0.0.5:x', '10.0.0.5:70000', 'bad host:1', '/nope/1']) {
    t.throws(() => parseAddress(bad), { name: 'InvalidAddressError' }, bad)
  }
  const id = '12D3KooWFZHJqQ6R6t5vXJuWRNKThaxuNKNobBZuTeN5XGP4hAWQ'
  const ma = parseAddress(`/ip4/1.2.3.4/tcp/5/p2p/${id}`)
  t.equal(peerIdOfAddress(ma), id)
  t.equal(withoutPeerId(ma).toString(), '/ip4/1.2.3.4/tcp/5')
})
