// Hand-written histories with a known verdict, including examples from Porcupine's and Knossos'
// test suites (transcribed: an event's position in the original log is its time here).

import t from 'tap'
import { checkLinearizability } from '../../src/chaos/linearizability.js'
import type { RegisterCheckOptions, RegisterOperation } from '../../src/chaos/linearizability.js'
import type { RegisterValue } from '../../src/chaos/register-model.js'

type Outcome = 'ok' | 'fail' | 'conflict' | 'unknown'

let ids = 0
const at = (client: number, call: number, ret: number | null) => ({ id: ids++, client, key: 'x', call, return: ret })
const outcome = (o: Outcome) =>
  o === 'conflict' ? ({ type: 'fail', conflict: true } as const) : ({ type: o } as const)

const read = (client: number, call: number, ret: number | null, value: RegisterValue | 'unknown'): RegisterOperation => ({
  ...at(client, call, ret),
  input: { type: 'read' },
  output: value === 'unknown' ? { type: 'unknown' } : { type: 'ok', value },
})
const write = (client: number, call: number, ret: number | null, value: RegisterValue, o: Outcome = 'ok'): RegisterOperation => ({
  ...at(client, call, ret),
  input: { type: 'write', value },
  output: outcome(o),
})
const cas = (
  client: number,
  call: number,
  ret: number | null,
  expected: RegisterValue,
  value: RegisterValue,
  o: Outcome = 'ok',
): RegisterOperation => ({ ...at(client, call, ret), input: { type: 'cas', expected, value }, output: outcome(o) })

function verdict(history: RegisterOperation[], options: RegisterCheckOptions = {}) {
  return checkLinearizability(history, options).result
}

t.test('linearizable histories', async (t) => {
  const cases: [string, RegisterOperation[]][] = [
    ['empty', []],
    ['a read of a key never written sees nil', [read(0, 0, 1, null)]],
    ['sequential', [write(0, 0, 1, 1), read(1, 2, 3, 1), write(1, 4, 5, 2), read(0, 6, 7, 2)]],
    ['read overlapping a write sees the old value', [write(0, 0, 1, 1), write(0, 2, 10, 2), read(1, 3, 4, 1)]],
    ['read overlapping a write sees the new value', [write(0, 0, 1, 1), write(0, 2, 10, 2), read(1, 3, 4, 2)]],
    ['concurrent writes, then a read of the first', [write(0, 0, 10, 1), write(1, 0, 10, 2), read(2, 11, 12, 1)]],
    ['concurrent writes, then a read of the second', [write(0, 0, 10, 1), write(1, 0, 10, 2), read(2, 11, 12, 2)]],
    ['reads during a write flip once', [write(0, 0, 1, 1), write(0, 2, 20, 2), read(1, 3, 4, 1), read(2, 5, 6, 2), read(1, 7, 8, 2)]],
    ['operations that touch count as concurrent', [write(0, 0, 5, 1), read(1, 5, 6, null)]],
    [
      'cas chain',
      [write(0, 0, 1, 0), cas(1, 2, 3, 0, 1), cas(2, 4, 5, 1, 2), cas(0, 6, 7, 1, 3, 'conflict'), read(1, 8, 9, 2)],
    ],
    ['concurrent cas from the same value: one wins', [write(0, 0, 1, 0), cas(1, 2, 9, 0, 1), cas(2, 2, 9, 0, 2, 'conflict'), read(0, 10, 11, 1)]],
    ['cas creating a missing key', [cas(0, 0, 1, null, 'a'), read(1, 2, 3, 'a')]],
    ['an unknown write whose value is read later', [write(0, 0, null, 1, 'unknown'), read(1, 5, 6, 1)]],
    ['an unknown write never read', [write(0, 0, 1, 1), write(1, 2, null, 2, 'unknown'), read(0, 5, 6, 1), read(0, 7, 8, 1)]],
    [
      'an unknown write taking effect long after the client gave up',
      [write(0, 0, 1, 1), write(1, 2, 3, 2, 'unknown'), read(0, 10, 11, 1), read(0, 20, 21, 2)],
    ],
    ['an unknown cas that applied', [write(0, 0, 1, 1), cas(1, 2, 3, 1, 2, 'unknown'), read(0, 4, 5, 2)]],
    ['an unknown cas that did not apply', [write(0, 0, 1, 1), cas(1, 2, 3, 1, 2, 'unknown'), read(0, 4, 5, 1)]],
    ['a failed write had no effect', [write(0, 0, 1, 1), write(1, 2, 3, 2, 'fail'), read(0, 4, 5, 1)]],
    ['a read with unknown outcome is ignored', [write(0, 0, 1, 1), read(1, 2, null, 'unknown'), read(0, 4, 5, 1)]],
  ]
  for (const [name, history] of cases) t.equal(verdict(history), 'ok', name)
})

t.test('non-linearizable histories', async (t) => {
  const cases: [string, RegisterOperation[]][] = [
    ['stale read after a completed write', [write(0, 0, 1, 1), write(0, 2, 3, 2), read(1, 4, 5, 1)]],
    ['read of a value never written', [write(0, 0, 1, 1), read(1, 2, 3, 7)]],
    ['lost update: two cas from the same value both succeed', [write(0, 0, 1, 0), cas(1, 2, 9, 0, 1), cas(2, 2, 9, 0, 2)]],
    [
      'a read going back in time across two clients',
      [write(0, 0, 1, 1), write(0, 2, 20, 2), read(1, 3, 4, 2), read(2, 5, 6, 1)],
    ],
    ['a completed write disappears', [write(0, 0, 1, 1), read(1, 2, 3, 1), read(2, 4, 5, null)]],
    ['a cas conflict while the value matched', [write(0, 0, 1, 0), cas(1, 2, 3, 0, 1, 'conflict')]],
    ['a cas that succeeded though the value did not match', [write(0, 0, 1, 0), cas(1, 2, 3, 5, 1)]],
    ['an unknown write cannot explain a read before its call', [read(0, 0, 1, 5), write(1, 2, null, 5, 'unknown')]],
    ['a failed write cannot explain a read', [write(0, 0, 1, 1), write(1, 2, 3, 2, 'fail'), read(0, 4, 5, 2)]],
  ]
  for (const [name, history] of cases) t.equal(verdict(history), 'violation', name)
})

// Porcupine's TestRegisterModel and TestZeroDuration, from the MIT 6.824 2017 quiz 2: register starting at 0.
t.test('porcupine examples', async (t) => {
  const initial = 0
  t.equal(verdict([write(0, 0, 100, 100), read(1, 25, 75, 100), read(2, 30, 60, 0)], { initial }), 'ok')
  t.equal(verdict([write(0, 0, 100, 200), read(1, 10, 30, 200), read(2, 40, 90, 0)], { initial }), 'violation')
  t.equal(
    verdict([write(0, 0, 100, 100), read(1, 25, 75, 100), read(2, 30, 30, 0), read(3, 30, 30, 0)], { initial }),
    'ok',
    'zero-duration reads',
  )
  t.equal(
    verdict([write(0, 0, 100, 200), read(1, 10, 10, 200), read(2, 10, 10, 200), read(3, 40, 90, 0)], { initial }),
    'violation',
    'zero-duration reads',
  )
})

t.test('knossos examples', async (t) => {
  t.equal(verdict([write(0, 0, null, 1, 'unknown')], { initial: 0 }), 'ok', 'crash-test')
  t.equal(verdict([read(0, 0, 1, 0)], { initial: 0 }), 'ok', 'sequential-test')

  const wrongInitial = checkLinearizability([read(0, 0, 1, 1)], { initial: 0 })
  t.equal(wrongInitial.result, 'violation', 'read-wrong-initial-value-test')
  t.equal(wrongInitial.violations[0]!.prefixLength, 0)
  t.equal(wrongInitial.violations[0]!.state, '0')

  // rethink-fail-minimal: the value is 0, then a read of 3 concurrent with a write of 4. The read of 3
  // is to blame, not the read of 4 that follows.
  const minimal = [write(0, 0, 1, 0), read(1, 2, 4, 3), write(2, 3, 5, 4), read(3, 6, 7, 4)]
  const rethink = checkLinearizability(minimal)
  t.equal(rethink.result, 'violation', 'rethink-fail-minimal')
  t.equal(rethink.violations[0]!.blocking?.id, minimal[1]!.id)
  t.same(rethink.violations[0]!.rejected.map((o) => o.id), [minimal[1]!.id])

  // bad-analysis: a cas-register at 0; two spurious concurrent reads of 3 and 2 at the end.
  const bad = [
    write(4, 0, 1, 2),
    read(6, 2, null, 'unknown'),
    write(1, 3, 4, 4),
    read(14, 5, 6, 4),
    write(9, 7, 8, 0),
    read(19, 9, 11, 0),
    write(20, 10, null, 1, 'unknown'),
    read(22, 12, 15, 3),
    read(21, 13, 14, 2),
  ]
  const analysis = checkLinearizability(bad, { initial: 0 })
  t.equal(analysis.result, 'violation', 'bad-analysis')
  t.equal(analysis.violations[0]!.blocking?.client, 21, 'the read of 2 returns first and cannot be linearized')
  t.same(analysis.violations[0]!.rejected.map((o) => o.client).sort(), [21, 22])
})
