// Unit tests of Inflights and Progress (etcd tracker/ tests style).
import t from 'tap'
import { Inflights } from '../../../src/raft/inflights.js'
import { Progress } from '../../../src/raft/progress.js'
import { SnapshotTransfer } from '../../../src/raft/snapshot-transfer.js'

t.test('inflights: bounded by count', async (t) => {
  const f = new Inflights(3, 0)
  f.add(1, 100)
  f.add(2, 100)
  t.notOk(f.full())
  f.add(5, 100)
  t.ok(f.full())
  t.throws(() => f.add(6, 1), { name: 'LogInvariantError' })
  f.freeLE(2)
  t.equal(f.count, 1)
  t.equal(f.bytes, 100)
  t.notOk(f.full())
})

t.test('inflights: bounded by bytes too', async (t) => {
  const f = new Inflights(10, 250)
  f.add(1, 100)
  f.add(2, 100)
  t.notOk(f.full())
  f.add(3, 100)
  t.ok(f.full(), 'over the byte budget')
  f.freeLE(1)
  t.notOk(f.full())
})

t.test('inflights: the ring wraps around', async (t) => {
  const f = new Inflights(3, 0)
  for (let i = 1; i <= 30; i++) {
    f.add(i, 1)
    if (f.count === 3) f.freeLE(i - 1)
  }
  t.equal(f.count, 2, '29 and 30 are out')
  f.freeLE(29)
  t.equal(f.count, 1, 'only indexes <= 29 are freed')
  f.freeLE(30)
  t.equal(f.count, 0)
  t.equal(f.bytes, 0)
})

const progress = (match: number, next: number): Progress => {
  const p = new Progress(next, false, 4, 0)
  p.match = match
  return p
}

t.test('progress: probe sends one append at a time', async (t) => {
  const p = progress(0, 5)
  t.notOk(p.isPaused())
  p.sentEntries(3, 30)
  t.ok(p.isPaused())
  t.equal(p.next, 5, 'probe does not move next optimistically')
  t.ok(p.maybeUpdate(4))
  t.notOk(p.isPaused())
})

t.test('progress: replicate pipelines within the window', async (t) => {
  const p = progress(4, 5)
  p.becomeReplicate()
  for (let i = 0; i < 4; i++) p.sentEntries(1, 10)
  t.equal(p.next, 9)
  t.ok(p.isPaused(), 'the window is full')
  p.maybeUpdate(6)
  p.inflights.freeLE(6)
  t.equal(p.inflights.count, 2)
})

t.test('progress: maybeDecrTo', async (t) => {
  const r = progress(5, 10)
  r.becomeReplicate()
  r.next = 10
  t.notOk(r.maybeDecrTo(4, 4), 'replicate: a rejection at or below match is stale')
  t.ok(r.maybeDecrTo(8, 2))
  t.equal(r.next, 6, 'replicate: back to match+1')
  const p = progress(0, 10)
  t.notOk(p.maybeDecrTo(7, 3), 'probe: not the last probe, stale')
  t.ok(p.maybeDecrTo(9, 3))
  t.equal(p.next, 4, 'probe: jump to the hint + 1')
  const q = progress(2, 10)
  t.ok(q.maybeDecrTo(9, 0))
  t.equal(q.next, 3, 'never below match+1')
})

t.test('progress: snapshot state pauses; probe afterwards resumes after the snapshot', async (t) => {
  const p = progress(3, 4)
  const snap = { metadata: { index: 20, term: 2, conf: { voters: [], learners: [] } }, data: new Uint8Array(5) }
  p.becomeSnapshot(new SnapshotTransfer(snap))
  t.ok(p.isPaused())
  t.equal(p.pendingSnapshot, 20)
  p.becomeProbe()
  t.equal(p.next, 21)
  p.becomeSnapshot(new SnapshotTransfer(snap))
  p.abortSnapshot()
  t.equal(p.next, 4, 'an aborted transfer probes from the match')
  t.equal(p.transfer, undefined)
})
