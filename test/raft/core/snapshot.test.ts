// Interaction tests: chunked snapshot transfer (§7) to a follower that needs compacted entries.
import t from 'tap'
import { MemoryStorage } from '../../../src/raft/memory-storage.js'
import type { Message, SnapshotChunk } from '../../../src/raft/types.js'
import { Cluster, bytes } from './cluster.js'

const CHUNK = 10
const DATA = bytes('0123456789abcdefghijklmnopqrstuvwxyz!') // 37 bytes: 4 chunks

/** a, b, c elected; five entries applied; every log compacted behind a snapshot at the applied index. */
function compacted(seed = 1): Cluster {
  const c = Cluster.withVoters(['a', 'b', 'c'], seed, { maxSnapshotChunkBytes: CHUNK })
  c.get('a').node.campaign()
  c.stabilize()
  for (let i = 0; i < 5; i++) c.get('a').node.propose(bytes(`e${i}`))
  c.stabilize()
  for (const m of c.members.values()) {
    const st = m.node.status()
    m.storage.createSnapshot(st.applied, st.conf, DATA)
    m.storage.compact(st.applied)
  }
  return c
}

function addD(c: Cluster): void {
  c.add('d', new MemoryStorage())
  t.ok(c.get('a').node.proposeConfChange({ type: 'addVoter', node: 'd' }).ok)
}

const chunks = (ms: readonly Message[]): SnapshotChunk[] => ms.filter((m): m is SnapshotChunk => m.type === 'snap')

t.test('§7: a follower behind the leader\'s first index receives the snapshot in chunks', async (t) => {
  const c = compacted()
  addD(c)
  c.stabilize()
  c.tickAll(3)
  const d = c.get('d')
  const sent = chunks(c.delivered)
  t.same(sent.map((m) => m.offset), [0, 10, 20, 30], 'four chunks, in order, one at a time')
  t.ok(sent.every((m) => m.totalBytes === DATA.byteLength && m.data.byteLength <= CHUNK))
  t.equal(d.snapshotsApplied, 1)
  t.same(d.storage.snapshot().data, DATA, 'the assembled data')
  t.equal(d.storage.snapshot().metadata.index, 6)
  t.same(d.node.status().conf.voters, ['a', 'b', 'c', 'd'], 'conf from the snapshot, then the addVoter entry')
  c.get('a').node.propose(bytes('later'))
  c.stabilize()
  t.same(c.appliedData('d'), ['later'], 'replication resumes after the snapshot')
  t.equal(c.get('a').node.status().progress?.get('d')?.state, 'replicate')
})

t.test('§7: a lost chunk is resent after a heartbeat round trip', async (t) => {
  const c = compacted(2)
  let dropped = false
  c.drop = (m) => {
    if (!dropped && m.type === 'snap' && m.offset === 20) {
      dropped = true
      return true
    }
    return false
  }
  addD(c)
  c.stabilize()
  c.tickAll(5)
  t.ok(dropped)
  t.equal(c.get('d').snapshotsApplied, 1)
  t.same(c.get('d').storage.snapshot().data, DATA)
})

t.test('§7: an out-of-order chunk is answered with the bytes held, and offset 0 restarts assembly', async (t) => {
  const c = Cluster.withVoters(['a', 'b'])
  const b = c.get('b')
  const md = { index: 10, term: 3, conf: { voters: ['a', 'b'], learners: [] } }
  const chunk = (offset: number, len: number): SnapshotChunk =>
    ({ type: 'snap', from: 'a', to: 'b', term: 3, metadata: md, offset, totalBytes: 25, data: new Uint8Array(len).fill(offset + 1) })
  const answers = (): Message[] => {
    c.processReady('b')
    const out = c.queue
    c.queue = []
    return out
  }
  b.node.step(chunk(10, 10))
  t.match(answers(), [{ type: 'snapResp', received: 0, reject: true }], 'no transfer under way: start over')
  b.node.step(chunk(0, 10))
  t.match(answers(), [{ type: 'snapResp', received: 10, reject: false }])
  b.node.step(chunk(20, 5))
  t.match(answers(), [{ type: 'snapResp', received: 10, reject: true }], 'a gap: resend from 10')
  b.node.step(chunk(0, 10))
  t.match(answers(), [{ type: 'snapResp', received: 10, reject: false }], 'offset 0 restarts')
  b.node.step(chunk(10, 10))
  b.node.step(chunk(10, 10))
  t.match(answers(), [{ received: 20, reject: false }, { received: 20, reject: false }], 'a duplicate is acknowledged')
  b.node.step(chunk(20, 5))
  const done = answers()
  t.match(done.find((m) => m.type === 'snapResp'), { received: 25, reject: false })
  t.match(done.find((m) => m.type === 'appResp'), { index: 10, reject: false })
  t.equal(b.snapshotsApplied, 1)
  t.equal(b.node.status().commit, 10)
  t.equal(b.node.status().applied, 10)
})

t.test('reportUnreachable during a transfer drops the follower back to probe', async (t) => {
  const c = compacted(3)
  c.drop = (m) => m.type === 'snapResp'
  addD(c)
  c.stabilize()
  t.equal(c.get('a').node.status().progress?.get('d')?.state, 'snapshot')
  c.get('a').node.reportUnreachable('d')
  t.equal(c.get('a').node.status().progress?.get('d')?.state, 'probe')
  c.drop = () => false
  c.tickAll(5)
  t.equal(c.get('d').snapshotsApplied, 1, 'a new transfer completes')
})

t.test('a stalled transfer is abandoned after an election timeout and started over', async (t) => {
  const c = compacted(4)
  c.drop = (m) => m.type === 'snap' && m.offset > 0
  addD(c)
  c.stabilize()
  c.tickAll(12)
  t.ok(chunks(c.delivered).filter((m) => m.offset === 0).length >= 2, 'restarted from offset 0')
  c.drop = () => false
  c.tickAll(5)
  t.equal(c.get('d').snapshotsApplied >= 1, true)
  t.same(c.get('d').storage.snapshot().data, DATA)
})
