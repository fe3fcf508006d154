// Unit tests of the log (etcd log_test.go style): matching, appending with truncation, conflicts, slices, commit.
import t from 'tap'
import { MemoryStorage } from '../../../src/raft/memory-storage.js'
import { RaftLog } from '../../../src/raft/raft-log.js'
import type { Entry } from '../../../src/raft/types.js'

const ent = (index: number, term: number, data = ''): Entry => ({ index, term, type: 'normal', data: new TextEncoder().encode(data) })
const ents = (terms: number[], from = 1): Entry[] => terms.map((term, i) => ent(from + i, term))
const terms = (es: readonly Entry[]): number[] => es.map((e) => e.term)

/** A log whose stable part holds `stable` and whose unstable tail holds `unstable`. */
function logOf(stable: number[], unstable: number[] = []): RaftLog {
  const s = new MemoryStorage()
  s.append(ents(stable))
  const log = new RaftLog(s)
  log.append(ents(unstable, stable.length + 1))
  return log
}

t.test('term, first and last index span storage and the unstable tail', async (t) => {
  const log = logOf([1, 1, 2], [3, 3])
  t.equal(log.firstIndex(), 1)
  t.equal(log.lastIndex(), 5)
  t.same([0, 1, 2, 3, 4, 5, 6].map((i) => log.term(i)), [0, 1, 1, 2, 3, 3, undefined])
  t.equal(log.lastTerm(), 3)
})

t.test('findConflict: the first index that is new or differs', async (t) => {
  const log = logOf([1, 2, 3])
  const cases: Array<[Entry[], number]> = [
    [[], 0],
    [ents([1, 2, 3]), 0],
    [ents([2, 3], 2), 0],
    [ents([3], 3), 0],
    [ents([1, 2, 3, 4, 4]), 4], // new entries
    [ents([3, 4], 3), 4],
    [ents([4, 4], 1), 1], // conflicts
    [ents([1, 4, 4], 2), 2],
    [ents([1, 4], 3), 3],
  ]
  for (const [es, want] of cases) t.equal(log.findConflict(es), want, `${JSON.stringify(es.map((e) => [e.index, e.term]))}`)
})

t.test('findConflictByTerm: the largest index <= index with term <= term', async (t) => {
  // index: 1 2 3 4 5 6 7
  // term:  1 1 3 3 3 5 5
  const log = logOf([1, 1, 3, 3, 3, 5, 5])
  t.same(log.findConflictByTerm(7, 5), [7, 5])
  t.same(log.findConflictByTerm(7, 4), [5, 3], 'skips the whole term 5')
  t.same(log.findConflictByTerm(7, 2), [2, 1])
  t.same(log.findConflictByTerm(4, 3), [4, 3])
  t.same(log.findConflictByTerm(7, 0), [0, 0])
  t.same(log.findConflictByTerm(9, 6), [9, 0], 'an index beyond the log has an unknown term')
})

t.test('maybeAppend (§5.3): consistency check, truncation of conflicts, commit', async (t) => {
  const cases: Array<{ prev: [number, number]; commit: number; add: Entry[]; ok: boolean; last?: number; commitAfter: number; terms: number[] }> = [
    { prev: [3, 2], commit: 3, add: [], ok: false, commitAfter: 1, terms: [1, 2, 3] }, // term mismatch
    { prev: [4, 3], commit: 3, add: [], ok: false, commitAfter: 1, terms: [1, 2, 3] }, // index beyond
    { prev: [3, 3], commit: 3, add: [], ok: true, last: 3, commitAfter: 3, terms: [1, 2, 3] },
    { prev: [3, 3], commit: 4, add: ents([4], 4), ok: true, last: 4, commitAfter: 4, terms: [1, 2, 3, 4] },
    { prev: [3, 3], commit: 5, add: ents([4], 4), ok: true, last: 4, commitAfter: 4, terms: [1, 2, 3, 4] }, // commit capped at last new
    { prev: [2, 2], commit: 2, add: ents([4], 3), ok: true, last: 3, commitAfter: 2, terms: [1, 2, 4] }, // conflict truncated
    { prev: [1, 1], commit: 1, add: ents([2], 2), ok: true, last: 2, commitAfter: 1, terms: [1, 2, 3] }, // matching prefix keeps the rest
  ]
  for (const c of cases) {
    const log = logOf([1, 2, 3])
    log.commitTo(1)
    const res = log.maybeAppend(c.prev[0], c.prev[1], c.commit, c.add)
    const name = `prev ${c.prev} + ${JSON.stringify(terms(c.add))}`
    t.equal(res.ok, c.ok, `${name}: ok`)
    if (res.ok) t.equal(res.lastIndex, c.last, `${name}: last new index`)
    t.equal(log.committed, c.commitAfter, `${name}: commit`)
    t.same(terms(log.slice(1, log.lastIndex() + 1, Infinity)), c.terms, `${name}: log`)
  }
})

t.test('maybeAppend refuses to rewrite committed entries', async (t) => {
  const log = logOf([1, 2, 3])
  log.commitTo(3)
  t.same(log.maybeAppend(1, 1, 3, ents([5, 5], 2)), { ok: false, reason: 'committedConflict' })
  t.same(terms(log.slice(1, 4, Infinity)), [1, 2, 3])
})

t.test('append truncates the unstable tail and overrides stable entries', async (t) => {
  const log = logOf([1, 2], [2, 2])
  log.append(ents([3], 3))
  t.same(terms(log.slice(1, log.lastIndex() + 1, Infinity)), [1, 2, 3])
  log.append(ents([4, 4], 2))
  t.same(terms(log.slice(1, log.lastIndex() + 1, Infinity)), [1, 4, 4])
  t.equal(log.unstable.offset, 2, 'the unstable tail now starts at the first rewritten index')
  t.throws(() => {
    log.commitTo(2)
    log.append(ents([5], 1))
  }, { name: 'LogInvariantError' }, 'never below commit')
})

t.test('slice respects maxBytes across storage and unstable, returning at least one entry', async (t) => {
  const s = new MemoryStorage()
  s.append([ent(1, 1, 'aaaa'), ent(2, 1, 'bbbb')])
  const log = new RaftLog(s)
  log.append([ent(3, 1, 'cccc'), ent(4, 1, 'dddd')])
  const per = 4 + 16
  t.equal(log.slice(1, 5, 0).length, 1)
  t.equal(log.slice(1, 5, per * 2).length, 2)
  t.equal(log.slice(1, 5, per * 3).length, 3)
  t.equal(log.slice(2, 5, per * 2).length, 2, 'straddling storage and unstable')
  t.equal(log.slice(1, 5, Infinity).length, 4)
  s.createSnapshot(2, { voters: [], learners: [] }, new Uint8Array())
  s.compact(2)
  t.throws(() => log.slice(1, 3, Infinity), { name: 'CompactedError' })
  t.equal(log.term(1), undefined, 'compacted')
  t.equal(log.term(2), 1, 'the snapshot index keeps its term')
})

t.test('isUpToDate (§5.4.1)', async (t) => {
  const log = logOf([1, 2, 3])
  t.ok(log.isUpToDate(3, 3))
  t.ok(log.isUpToDate(1, 4), 'a higher last term wins regardless of length')
  t.ok(log.isUpToDate(4, 3))
  t.notOk(log.isUpToDate(2, 3), 'same term, shorter')
  t.notOk(log.isUpToDate(9, 2), 'lower term, longer')
})

t.test('maybeCommit commits only an entry of the given term (Figure 8)', async (t) => {
  const log = logOf([1, 1, 2])
  t.notOk(log.maybeCommit(2, 2), 'entry 2 is of term 1')
  t.equal(log.committed, 0)
  t.ok(log.maybeCommit(3, 2))
  t.equal(log.committed, 3)
  t.notOk(log.maybeCommit(2, 1), 'never backwards')
  t.throws(() => log.commitTo(9), { name: 'LogInvariantError' })
})

t.test('committed entries are handed out once, and not while a snapshot is pending', async (t) => {
  const log = logOf([1, 1], [1])
  log.commitTo(3)
  t.ok(log.hasNextCommittedEnts())
  t.same(log.nextCommittedEnts(Infinity).map((e) => e.index), [1, 2, 3], 'including not-yet-persisted ones')
  log.acceptApplying(3)
  t.notOk(log.hasNextCommittedEnts())
  log.append(ents([1], 4))
  log.commitTo(4)
  log.restore({ metadata: { index: 9, term: 2, conf: { voters: [], learners: [] } }, data: new Uint8Array() })
  t.notOk(log.hasNextCommittedEnts(), 'the snapshot goes first')
  t.equal(log.committed, 9)
  t.equal(log.lastIndex(), 9)
  t.equal(log.firstIndex(), 10)
})

t.test('persistedIndex: only what storage holds and the log still agrees with', async (t) => {
  const log = logOf([1, 1], [1, 1])
  t.equal(log.persistedIndex(), 2)
  log.stableTo(3, 1)
  // stableTo is bookkeeping: the driver appended to storage first.
  ;(log.storage as MemoryStorage).append(ents([1], 3))
  t.equal(log.persistedIndex(), 3)
  log.append(ents([2], 2)) // rewrites index 2 onward: storage's 2 and 3 are stale
  t.equal(log.persistedIndex(), 1)
})
