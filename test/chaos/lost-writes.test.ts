import t from 'tap'
import { findLostWrites } from '../../src/chaos/lost-writes.js'
import type { RegisterOperation } from '../../src/chaos/linearizability.js'
import type { RegisterOutput } from '../../src/chaos/register-model.js'

let nextId = 1
function write(value: string, call: number, ret: number | null, output: RegisterOutput = { type: 'ok' }, key = 'k'): RegisterOperation {
  return { id: nextId++, client: 'c', key, input: { type: 'write', value }, call, return: ret, output }
}

const finals = (v: string | null, key = 'k') => new Map([[key, v]])

t.test('the last acknowledged write is the final value: nothing lost', async (t) => {
  const h = [write('a', 0, 1), write('b', 2, 3)]
  t.same(findLostWrites(h, finals('b')), [])
})

t.test('a final value older than an acknowledged write that followed it: that write is lost', async (t) => {
  const h = [write('a', 0, 1), write('b', 2, 3), write('c', 4, 5)]
  const lost = findLostWrites(h, finals('a'))
  t.same(lost.map((l) => l.value), ['b', 'c'])
  t.equal(lost[0]!.finalValue, 'a')
})

t.test('concurrent writes may end in either order', async (t) => {
  const h = [write('a', 0, 10), write('b', 1, 9)]
  t.same(findLostWrites(h, finals('a')), [])
  t.same(findLostWrites(h, finals('b')), [])
})

t.test('a final value from a write of unknown outcome may be the latest', async (t) => {
  const h = [write('a', 0, 1, { type: 'unknown' }), write('b', 5, 6)]
  t.same(findLostWrites(h, finals('a')), [], 'the unknown write may have landed after b')
})

t.test('a missing key or a value nobody wrote loses every acknowledged write; failed and unknown ones are not counted', async (t) => {
  const h = [write('a', 0, 1), write('b', 2, 3, { type: 'fail' }), write('c', 4, 5, { type: 'unknown' })]
  t.same(findLostWrites(h, finals(null)).map((l) => l.value), ['a'])
  t.same(findLostWrites(h, finals('zzz')).map((l) => l.value), ['a'])
})

t.test('keys without a final read are not judged; cas writes count as writes', async (t) => {
  const cas: RegisterOperation = { id: nextId++, client: 'c', key: 'k', input: { type: 'cas', expected: 'a', value: 'x' }, call: 3, return: 4, output: { type: 'ok' } }
  const h = [write('a', 0, 1), cas, write('q', 0, 1, { type: 'ok' }, 'other')]
  t.same(findLostWrites(h, finals('a')).map((l) => l.value), ['x'])
  t.same(findLostWrites(h, new Map()), [])
})
