// Unit tests of the unstable tail (etcd log_unstable_test.go style).
import t from 'tap'
import { UnstableLog } from '../../../src/raft/unstable-log.js'
import type { Entry, Snapshot } from '../../../src/raft/types.js'

const ent = (index: number, term: number): Entry => ({ index, term, type: 'normal', data: new Uint8Array() })
const snap = (index: number, term: number): Snapshot => ({ metadata: { index, term, conf: { voters: [], learners: [] } }, data: new Uint8Array() })
const idx = (es: readonly Entry[]): number[] => es.map((e) => e.index)

function unstable(offset: number, entries: Entry[], s?: Snapshot): UnstableLog {
  const u = new UnstableLog(offset)
  if (s !== undefined) u.restore(s)
  u.truncateAndAppend(entries)
  return u
}

t.test('first/last index and term, with and without a snapshot', async (t) => {
  const u = unstable(5, [ent(5, 1)])
  t.equal(u.maybeFirstIndex(), undefined)
  t.equal(u.maybeLastIndex(), 5)
  t.equal(u.maybeTerm(5), 1)
  t.equal(u.maybeTerm(4), undefined)
  t.equal(u.maybeTerm(6), undefined)
  const v = unstable(5, [ent(5, 2)], snap(4, 1))
  t.equal(v.maybeFirstIndex(), 5)
  t.equal(v.maybeLastIndex(), 5)
  t.equal(v.maybeTerm(4), 1, 'the snapshot index')
  t.equal(v.maybeTerm(3), undefined)
  const w = unstable(5, [], snap(4, 1))
  t.equal(w.maybeLastIndex(), 4)
})

t.test('truncateAndAppend: append, replace all, or truncate in the middle', async (t) => {
  const u = unstable(5, [ent(5, 1)])
  u.truncateAndAppend([ent(6, 1), ent(7, 1)])
  t.same(idx(u.entries), [5, 6, 7])
  u.truncateAndAppend([ent(6, 2)])
  t.same(u.entries.map((e) => e.term), [1, 2])
  u.truncateAndAppend([ent(4, 3), ent(5, 3)])
  t.equal(u.offset, 4, 'replaced from before the offset')
  t.same(idx(u.entries), [4, 5])
})

t.test('in-progress entries are not handed out twice; truncation re-exposes rewritten ones', async (t) => {
  const u = unstable(5, [ent(5, 1), ent(6, 1), ent(7, 1)])
  t.same(idx(u.nextEntries()), [5, 6, 7])
  u.acceptInProgress()
  t.same(u.nextEntries(), [])
  u.truncateAndAppend([ent(8, 1)])
  t.same(idx(u.nextEntries()), [8])
  u.acceptInProgress()
  u.truncateAndAppend([ent(7, 2)])
  t.same(idx(u.nextEntries()), [7], 'the rewritten entry must be persisted again')
})

t.test('stableTo drops persisted entries, unless they were replaced meanwhile', async (t) => {
  const u = unstable(5, [ent(5, 1), ent(6, 1), ent(7, 1)])
  u.stableTo(6, 2)
  t.equal(u.offset, 5, 'term mismatch: ignored')
  u.stableTo(6, 1)
  t.equal(u.offset, 7)
  t.same(idx(u.entries), [7])
  u.stableTo(4, 1)
  t.equal(u.offset, 7, 'below the offset: ignored')
})

t.test('snapshots: restore replaces everything; stableSnapTo clears only the same snapshot', async (t) => {
  const u = unstable(5, [ent(5, 1)])
  u.restore(snap(10, 3))
  t.equal(u.offset, 11)
  t.same(u.entries, [])
  t.equal(u.nextSnapshot()?.metadata.index, 10)
  u.acceptInProgress()
  t.equal(u.nextSnapshot(), undefined, 'handed out')
  u.stableSnapTo(9)
  t.not(u.snapshot, undefined)
  u.stableSnapTo(10)
  t.equal(u.snapshot, undefined)
})

t.test('slice checks its bounds', async (t) => {
  const u = unstable(5, [ent(5, 1), ent(6, 1)])
  t.same(idx(u.slice(5, 7)), [5, 6])
  t.throws(() => u.slice(4, 6), { name: 'LogInvariantError' })
  t.throws(() => u.slice(5, 8), { name: 'LogInvariantError' })
})
