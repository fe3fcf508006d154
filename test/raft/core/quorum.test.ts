// Unit tests of majority arithmetic.
import t from 'tap'
import { committedIndex, isQuorum, majority, voteResult } from '../../../src/raft/quorum.js'

t.test('majority', async (t) => {
  t.same([1, 2, 3, 4, 5, 6, 7].map(majority), [1, 2, 2, 3, 3, 4, 4])
})

t.test('committedIndex is the majority-th highest match', async (t) => {
  const m = (matches: Record<string, number>) => (id: string) => matches[id]
  t.equal(committedIndex(['a'], m({ a: 7 })), 7)
  t.equal(committedIndex(['a', 'b'], m({ a: 7, b: 3 })), 3)
  t.equal(committedIndex(['a', 'b', 'c'], m({ a: 5, b: 3, c: 9 })), 5)
  t.equal(committedIndex(['a', 'b', 'c', 'd'], m({ a: 5, b: 3, c: 9, d: 9 })), 5)
  t.equal(committedIndex(['a', 'b', 'c'], m({ a: 5 })), 0, 'unknown matches count as 0')
  t.equal(committedIndex(['a', 'b', 'c'], m({ a: 5, b: 4, x: 100, y: 100 })), 4, 'non-voters never count')
  t.equal(committedIndex([], m({})), 0)
})

t.test('voteResult', async (t) => {
  const v = (o: Record<string, boolean>) => new Map(Object.entries(o))
  const abc = ['a', 'b', 'c']
  t.equal(voteResult(abc, v({ a: true })), 'pending')
  t.equal(voteResult(abc, v({ a: true, b: true })), 'won')
  t.equal(voteResult(abc, v({ a: true, b: false })), 'pending')
  t.equal(voteResult(abc, v({ a: true, b: false, c: false })), 'lost')
  t.equal(voteResult(abc, v({ a: true, x: true, y: true })), 'pending', 'non-voters do not count')
  t.equal(voteResult(['a', 'b', 'c', 'd'], v({ a: true, b: true })), 'pending', '2 of 4 is no majority')
  t.equal(voteResult(['a'], v({ a: true })), 'won')
})

t.test('isQuorum', async (t) => {
  t.ok(isQuorum(['a', 'b', 'c'], (id) => id !== 'c'))
  t.notOk(isQuorum(['a', 'b', 'c'], (id) => id === 'a'))
})
