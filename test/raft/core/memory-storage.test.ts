// Unit tests of MemoryStorage (etcd storage_test.go style).
import t from 'tap'
import { MemoryStorage } from '../../../src/raft/memory-storage.js'
import type { Entry } from '../../../src/raft/types.js'

const ent = (index: number, term: number, data = ''): Entry => ({ index, term, type: 'normal', data: new TextEncoder().encode(data) })
const CONF = { voters: ['a'], learners: [] }

/** Snapshot at 3 (term 3), entries 4 and 5 (terms 4, 5), like etcd's tests. */
function storage(): MemoryStorage {
  const s = new MemoryStorage(CONF)
  s.append([ent(1, 1), ent(2, 2), ent(3, 3), ent(4, 4), ent(5, 5)])
  s.createSnapshot(3, CONF, new Uint8Array([9]))
  s.compact(3)
  return s
}

t.test('an empty storage: the initial snapshot at 0 carries the configuration', async (t) => {
  const s = new MemoryStorage(CONF)
  t.equal(s.firstIndex(), 1)
  t.equal(s.lastIndex(), 0)
  t.equal(s.term(0), 0)
  t.same(s.initialState(), { hardState: { term: 0, vote: '', commit: 0 }, conf: CONF })
  t.same(new MemoryStorage().initialState().conf, { voters: [], learners: [] })
})

t.test('term and entries around the compaction point', async (t) => {
  const s = storage()
  t.equal(s.firstIndex(), 4)
  t.equal(s.lastIndex(), 5)
  t.throws(() => s.term(2), { name: 'CompactedError' })
  t.equal(s.term(3), 3)
  t.equal(s.term(5), 5)
  t.throws(() => s.term(6), { name: 'UnavailableError' })
  t.throws(() => s.entries(3, 5, Infinity), { name: 'CompactedError' })
  t.same(s.entries(4, 6, Infinity).map((e) => e.index), [4, 5])
  t.throws(() => s.entries(4, 7, Infinity), { name: 'UnavailableError' })
  t.same(s.entries(4, 6, 0).map((e) => e.index), [4], 'at least one entry')
})

t.test('append: truncates conflicts, ignores compacted prefixes, refuses gaps', async (t) => {
  const s = storage()
  s.append([ent(3, 3), ent(4, 6), ent(5, 6)])
  t.same([4, 5].map((i) => s.term(i)), [6, 6])
  s.append([ent(5, 7), ent(6, 7)])
  t.same([4, 5, 6].map((i) => s.term(i)), [6, 7, 7])
  s.append([ent(1, 1), ent(2, 2)])
  t.equal(s.lastIndex(), 6, 'wholly compacted: ignored')
  t.throws(() => s.append([ent(8, 8)]), { name: 'UnavailableError' })
})

t.test('snapshots: create, compact, apply', async (t) => {
  const s = storage()
  t.throws(() => s.createSnapshot(3, CONF, new Uint8Array()), { name: 'SnapshotOutOfDateError' })
  t.throws(() => s.createSnapshot(9, CONF, new Uint8Array()), { name: 'UnavailableError' })
  t.throws(() => s.compact(5), { name: 'CompactionError' }, 'not past the latest snapshot')
  const snap = s.createSnapshot(5, CONF, new Uint8Array([1]))
  t.same(snap.metadata, { index: 5, term: 5, conf: CONF })
  s.compact(5)
  t.equal(s.firstIndex(), 6)
  t.throws(() => s.compact(5), { name: 'CompactedError' })
  t.throws(() => s.applySnapshot({ metadata: { index: 4, term: 4, conf: CONF }, data: new Uint8Array() }), { name: 'SnapshotOutOfDateError' })
  s.applySnapshot({ metadata: { index: 10, term: 7, conf: { voters: ['x'], learners: [] } }, data: new Uint8Array() })
  t.equal(s.firstIndex(), 11)
  t.equal(s.lastIndex(), 10)
  t.equal(s.term(10), 7)
  t.same(s.initialState().conf, { voters: ['x'], learners: [] })
})
