import t from 'tap'
import { Disk } from '../../../src/raft/sim/disk.js'
import { Network } from '../../../src/raft/sim/network.js'
import { allows, bridge, isolate, oneWay, randomPartition, symmetric } from '../../../src/raft/sim/partition.js'
import { Rng } from '../../../src/raft/sim/rng.js'
import type { Entry, Message } from '../../../src/raft/types.js'

const hb = (from: string, to: string, term: number): Message => ({ type: 'heartbeat', from, to, term, commit: 0, context: new Uint8Array() })
const entry = (index: number, term: number): Entry => ({ index, term, type: 'normal', data: new Uint8Array([index]) })

function drain(net: Network, until: number): Array<[number, Message]> {
  const out: Array<[number, Message]> = []
  for (let s = 0; s <= until; s++) for (const m of net.due(s)) out.push([s, m])
  return out
}

t.test('the network replays exactly from its seed, and never delivers in the sending step', async (t) => {
  const run = (seed: number): string => {
    const net = new Network(new Rng(seed))
    net.conditions = { minDelay: 1, maxDelay: 6, reorderRate: 0.3, reorderDelay: 10, dropRate: 0.2, duplicateRate: 0.2 }
    for (let i = 0; i < 200; i++) net.send(hb('n1', 'n2', i), 0)
    const got = drain(net, 100)
    t.ok(got.every(([s]) => s >= 1))
    return got.map(([s, m]) => `${s}:${m.term}`).join(',')
  }
  t.equal(run(7), run(7))
  t.not(run(7), run(8))
})

t.test('drops and duplicates follow their rates', async (t) => {
  const net = new Network(new Rng(3))
  net.conditions = { minDelay: 1, maxDelay: 1, reorderRate: 0, reorderDelay: 0, dropRate: 1, duplicateRate: 0 }
  for (let i = 0; i < 20; i++) net.send(hb('n1', 'n2', i), 0)
  t.equal(drain(net, 10).length, 0)
  t.equal(net.stats.dropped, 20)
  net.conditions = { ...net.conditions, dropRate: 0, duplicateRate: 1 }
  for (let i = 0; i < 20; i++) net.send(hb('n1', 'n2', i), 20)
  t.equal(drain(net, 40).length, 40)
})

t.test('delays reorder messages', async (t) => {
  const net = new Network(new Rng(11))
  net.conditions = { minDelay: 1, maxDelay: 8, reorderRate: 0, reorderDelay: 0, dropRate: 0, duplicateRate: 0 }
  for (let i = 0; i < 50; i++) net.send(hb('n1', 'n2', i), 0)
  const terms = drain(net, 20).map(([, m]) => m.term)
  t.equal(terms.length, 50)
  t.notSame(terms, [...terms].sort((a, b) => a - b))
})

t.test('partitions: symmetric, one-way, leader isolation and bridge', async (t) => {
  const s = symmetric(['n1', 'n2'], ['n3'])
  t.notOk(allows(s, 'n1', 'n3'))
  t.notOk(allows(s, 'n3', 'n2'))
  t.ok(allows(s, 'n1', 'n2'))
  t.ok(allows(s, 'n9', 'n1'), 'a node that joined later is connected')
  const o = oneWay(['n1'], ['n2', 'n3'])
  t.notOk(allows(o, 'n1', 'n2'))
  t.ok(allows(o, 'n2', 'n1'))
  const i = isolate('n2', ['n1', 'n3'])
  t.notOk(allows(i, 'n2', 'n1'))
  t.notOk(allows(i, 'n3', 'n2'))
  t.ok(allows(i, 'n1', 'n3'))
  const b = bridge(['n1', 'n2'], 'n3', ['n4', 'n5'])
  t.notOk(allows(b, 'n1', 'n4'))
  t.notOk(allows(b, 'n5', 'n2'))
  t.ok(allows(b, 'n1', 'n3') && allows(b, 'n3', 'n5') && allows(b, 'n5', 'n3'))
  t.match(b.description, '{n1,n2} <-> n3 <-> {n4,n5}')
  const rng = new Rng(5)
  const kinds = new Set<string>()
  for (let k = 0; k < 40; k++) kinds.add(randomPartition(rng, ['n1', 'n2', 'n3', 'n4', 'n5'], 'n1').kind)
  t.same([...kinds].sort(), ['bridge', 'leaderIsolation', 'oneWay', 'symmetric'])
})

t.test('disk: a crash keeps what was fsynced and loses the rest', async (t) => {
  const disk = new Disk({ voters: ['n1'], learners: [] })
  disk.write({ snapshot: undefined, entries: [entry(1, 1), entry(2, 1)], hardState: { term: 1, vote: 'n1', commit: 0 } }, true)
  disk.write({ snapshot: undefined, entries: [], hardState: { term: 1, vote: 'n1', commit: 2 } }, false)
  disk.write({ snapshot: undefined, entries: [entry(2, 2), entry(3, 2)], hardState: undefined }, false)
  disk.crash()
  t.same(disk.image.entries.map((e) => `${e.index}/${e.term}`), ['1/1', '2/1'])
  t.equal(disk.image.hardState.commit, 0)
  disk.write({ snapshot: undefined, entries: [entry(2, 2), entry(3, 2)], hardState: undefined }, false)
  disk.write({ snapshot: undefined, entries: [entry(4, 2)], hardState: { term: 2, vote: '', commit: 3 } }, true)
  t.same(disk.image.entries.map((e) => `${e.index}/${e.term}`), ['1/1', '2/2', '3/2', '4/2'], 'a sync flushes earlier writes, truncating the conflicting suffix')
  const snap = { metadata: { index: 3, term: 2, conf: { voters: ['n1'], learners: [] } }, data: new Uint8Array() }
  disk.saveSnapshot(snap, 2)
  t.same(disk.image.entries.map((e) => e.index), [3, 4])
  disk.write({ snapshot: { ...snap, metadata: { ...snap.metadata, index: 9 } }, entries: [entry(10, 3)], hardState: undefined }, true)
  t.same(disk.image.entries.map((e) => e.index), [10], 'an installed snapshot replaces the log')
})
