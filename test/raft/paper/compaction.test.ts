// §7 Log compaction: InstallSnapshot, sent in chunks (thesis §5.1.1 / the paper's Figure 13 offset and done fields).
import t from 'tap'
import { Cluster, PAPER, ids } from './harness.js'

const DATA = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 251)
const CHUNK = 100
const OPTS = { ...PAPER, maxSnapshotChunkBytes: CHUNK }

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0
}

/**
 * a leads; c misses five commands while cut off; a then snapshots its state machine and discards the log
 * up to it, so c's next entry is gone from a's log. Returns the snapshot index.
 */
function leaderCompactsPastC(c: Cluster): number {
  c.elect('a')
  const heal = c.isolate('c')
  for (let i = 0; i < 5; i++) c.propose('a', `x${i}`)
  const a = c.peer('a')
  const index = a.appliedIndex
  a.storage.createSnapshot(index, a.status().conf, DATA)
  a.storage.compact(index)
  heal()
  return index
}

function caughtUp(c: Cluster): boolean {
  return c.peer('c').appliedData().includes('after')
}

t.test('§7 the leader sends a snapshot, in chunks, to a follower that lags behind its first log index; normal replication then resumes', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 71, options: OPTS })
  const index = leaderCompactsPastC(c)
  t.ok(c.peer('a').storage.firstIndex() > c.peer('c').status().lastIndex + 1, 'c needs entries a no longer has')
  c.propose('a', 'after')
  const ticks = c.tickUntil(() => caughtUp(c), 40)
  t.ok(ticks > 0, `c caught up after ${ticks} tick(s)`)
  const chunks = c.sentOf('snap', (m) => m.to === 'c')
  const offsets = [...new Set(chunks.map((m) => m.offset))].sort((x, y) => x - y)
  t.same(offsets, Array.from({ length: DATA.length / CHUNK }, (_, i) => i * CHUNK), `sent in ${DATA.length / CHUNK} chunks`)
  t.ok(chunks.every((m) => m.data.length <= CHUNK && m.totalBytes === DATA.length), 'each within maxSnapshotChunkBytes')
  const cc = c.peer('c')
  t.equal(cc.snapshots.length, 1, 'c installed one snapshot')
  t.equal(cc.snapshots[0]?.metadata.index, index, 'the leader\'s')
  t.ok(same(cc.snapshots[0]?.data ?? new Uint8Array(), DATA), 'reassembled byte for byte')
  t.equal(cc.storage.firstIndex(), index + 1, 'c\'s log restarts after the snapshot')
  t.same(ids(cc.log()), ids(c.peer('a').log()), 'and then matches the leader\'s')
  t.same(cc.appliedData(), ['after'], 'entries after the snapshot are applied normally')
  t.ok(c.sentOf('app', (m) => m.to === 'c' && m.entries.some((e) => e.index > index)).length > 0, 'through AppendEntries')
})

t.test('§7 a lost chunk does not lose the transfer', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 72, options: OPTS })
  leaderCompactsPastC(c)
  let dropped = 0
  c.filter((m) => (m.type === 'snap' && m.offset === 3 * CHUNK && dropped++ === 0 ? 'drop' : undefined))
  c.propose('a', 'after')
  const ticks = c.tickUntil(() => caughtUp(c), 60)
  t.equal(dropped >= 1, true, 'the chunk at 300 was lost once')
  t.ok(ticks > 0, `c caught up after ${ticks} tick(s)`)
  t.ok(same(c.peer('c').snapshots[0]?.data ?? new Uint8Array(), DATA), 'snapshot intact')
})

t.test('§7 a transfer interrupted by the follower restarting starts over and completes', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 73, options: OPTS })
  leaderCompactsPastC(c)
  t.ok(c.peer('a').node.propose(new TextEncoder().encode('after')).ok)
  const partial = (): boolean => c.sentOf('snapResp', (m) => m.from === 'c' && m.received >= 3 * CHUNK).length > 0
  for (let i = 0; i < 200 && !partial(); i++) {
    c.process()
    c.deliver()
  }
  t.ok(partial(), 'c acknowledged 300 bytes')
  t.equal(c.peer('c').snapshots.length, 0, 'nothing installed yet')
  c.crash('c')
  const mark = c.sent.length
  c.restart('c')
  const ticks = c.tickUntil(() => caughtUp(c), 60)
  t.ok(ticks > 0, `c caught up after ${ticks} tick(s)`)
  const again = c.sent.slice(mark).filter((m) => m.type === 'snap' && m.to === 'c' && m.offset === 0)
  t.ok(again.length > 0, 'the transfer started over from offset 0')
  t.equal(c.peer('c').snapshots.length, 1, 'one snapshot installed')
  t.ok(same(c.peer('c').snapshots[0]?.data ?? new Uint8Array(), DATA), 'intact')
})

t.test('§7 a server restarted over its storage resumes from its snapshot', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 74, options: OPTS })
  const index = leaderCompactsPastC(c)
  c.propose('a', 'after')
  c.tickUntil(() => caughtUp(c), 40)
  c.crash('c')
  const cc = c.restart('c')
  t.equal(cc.status().commit >= index, true, 'commit restored at or past the snapshot')
  c.propose('a', 'later')
  c.tickAll(2)
  t.same(cc.appliedData(), ['after', 'later'], 'applies new entries after the restart, none twice')
})
