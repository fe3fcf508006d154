// The checker's outer contract: per-key verdicts, the budget, history validation, and the
// explanation of a violation as text and JSON.

import t from 'tap'
import { checkLinearizability, formatReport, reportToJSON } from '../../src/chaos/linearizability.js'
import type { LinearizabilityReport, RegisterOperation } from '../../src/chaos/linearizability.js'
import type { RegisterValue } from '../../src/chaos/register-model.js'

let ids = 0
const read = (key: string, client: number, call: number, ret: number, value: RegisterValue): RegisterOperation => ({
  id: `op${ids++}`,
  client,
  key,
  call,
  return: ret,
  input: { type: 'read' },
  output: { type: 'ok', value },
})
const write = (key: string, client: number, call: number, ret: number | null, value: RegisterValue, unknown = false): RegisterOperation => ({
  id: `op${ids++}`,
  client,
  key,
  call,
  return: ret,
  input: { type: 'write', value },
  output: unknown ? { type: 'unknown' } : { type: 'ok' },
})

const staleRead = (key: string) => [write(key, 0, 0, 1, 'a'), write(key, 0, 2, 3, 'b'), read(key, 1, 4, 5, 'a')]

t.test('keys are checked independently', async (t) => {
  const report = checkLinearizability([...staleRead('bad'), write('good', 2, 0, 1, 'x'), read('good', 3, 2, 3, 'x')])
  t.equal(report.result, 'violation')
  t.same(
    report.keys.map((k) => [k.key, k.result, k.operations]),
    [
      ['bad', 'violation', 3],
      ['good', 'ok', 2],
    ],
  )
  t.equal(report.violations.length, 1)
  t.equal(report.violations[0]!.key, 'bad')
})

t.test('stopOnViolation leaves later keys unchecked', async (t) => {
  const report = checkLinearizability([...staleRead('a'), ...staleRead('b')], { stopOnViolation: true })
  t.equal(report.result, 'violation')
  t.same(report.keys.map((k) => k.result), ['violation', 'unknown'])
  t.equal(report.violations.length, 1)
})

t.test('the explanation names the key, the prefix and the read that cannot be linearized', async (t) => {
  const history = staleRead('cm/default/reg-1')
  const report = checkLinearizability(history)
  const v = report.violations[0]!
  t.equal(v.prefixLength, 2)
  t.same(v.prefixIds, [history[0]!.id, history[1]!.id])
  t.equal(v.state, '"b"')
  t.equal(v.blocking?.id, history[2]!.id)
  t.same(v.rejected.map((o) => o.id), [history[2]!.id])
  const text = formatReport(report)
  t.match(text, /VIOLATION/)
  t.match(text, /key "cm\/default\/reg-1": not linearizable/)
  t.match(text, /#op\d+ client 1 \[4, 5\] read\(\) -> "a"/)
  t.match(text, /state after it: "b"/)
})

t.test('the JSON form is plain data and round-trips', async (t) => {
  const report = checkLinearizability([...staleRead('k'), write('k', 2, 6, null, 'c', true)])
  const json = reportToJSON(report) as LinearizabilityReport
  t.same(JSON.parse(JSON.stringify(json)), json)
  t.equal(json.result, 'violation')
  t.equal(json.violations[0]!.key, 'k')
  t.equal(json.violations[0]!.blocking?.return, 5)
})

/** Many concurrent unknown writes and a read of a value none wrote: the search must try every subset. */
function pathological(n: number): RegisterOperation[] {
  const writes = Array.from({ length: n }, (_, i) => write('p', i, 0, null, i, true))
  return [...writes, read('p', n, 1, 2, 'never'), read('p', n, 3, 4, 0)]
}

t.test('a step budget ends a hopeless search with unknown', async (t) => {
  const report = checkLinearizability(pathological(3), { maxSteps: 5 })
  t.equal(report.result, 'unknown')
  t.equal(report.reason, 'budget')
  t.equal(report.keys[0]!.result, 'unknown')
  t.match(formatReport(report), /1 keys not decided/)
})

t.test('a deadline ends a search with unknown', async (t) => {
  let clock = 0
  const now = () => (clock += 1000)
  const report = checkLinearizability(pathological(18), { deadlineMs: 5000, now })
  t.equal(report.result, 'unknown')
  t.equal(report.reason, 'budget')
})

t.test('with enough budget the same history is a violation', async (t) => {
  t.equal(checkLinearizability(pathological(3)).result, 'violation')
})

t.test('a violation on one key wins over an undecided one', async (t) => {
  const report = checkLinearizability([...staleRead('a'), ...pathological(16)], { maxSteps: 1000 })
  t.equal(report.result, 'violation')
  t.same(report.keys.map((k) => k.result), ['violation', 'unknown'])
})

t.test('malformed histories are rejected with HistoryError', async (t) => {
  const ok = write('k', 0, 0, 1, 'a')
  const cases: [string, RegisterOperation[]][] = [
    ['return before call', [{ ...ok, call: 5, return: 1 }]],
    ['duplicate id', [ok, { ...ok }]],
    ['ok output without a return', [{ ...ok, return: null }]],
    ['bad output type', [{ ...ok, output: { type: 'maybe' } } as unknown as RegisterOperation]],
    ['non-finite call', [{ ...ok, call: NaN }]],
  ]
  for (const [name, history] of cases) t.throws(() => checkLinearizability(history), { name: 'HistoryError' }, name)
})
