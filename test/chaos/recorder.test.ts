import t from 'tap'
import { countOutcomes, countReasons, HistoryRecorder } from '../../src/chaos/recorder.js'
import { checkLinearizability } from '../../src/chaos/linearizability.js'

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000
  return { now: () => t, advance: (ms) => void (t += ms) }
}

t.test('records call and return times relative to the start, ids in call order', async (t) => {
  const c = clock()
  const rec = new HistoryRecorder(c.now)
  c.advance(5)
  const a = rec.invoke('c0', 'k', { type: 'write', value: 'c0-1' })
  c.advance(3)
  const b = rec.invoke('c1', 'k', { type: 'read' })
  c.advance(2)
  b.complete({ type: 'ok', value: 'c0-1' })
  c.advance(1)
  a.complete({ type: 'ok' })
  t.same(rec.history(), [
    { id: 1, client: 'c0', key: 'k', input: { type: 'write', value: 'c0-1' }, call: 5, return: 11, output: { type: 'ok' } },
    { id: 2, client: 'c1', key: 'k', input: { type: 'read' }, call: 8, return: 10, output: { type: 'ok', value: 'c0-1' } },
  ])
  t.equal(checkLinearizability(rec.history()).result, 'ok', 'a read overlapping the write may see it')
})

t.test('an operation still in flight is unknown without a return; a second complete is ignored', async (t) => {
  const c = clock()
  const rec = new HistoryRecorder(c.now)
  const a = rec.invoke('c0', 'k', { type: 'cas', expected: null, value: 'c0-1' })
  const b = rec.invoke('c1', 'k', { type: 'write', value: 'c1-1' })
  c.advance(4)
  b.complete({ type: 'unknown' })
  b.complete({ type: 'ok' })
  const [ha, hb] = rec.history()
  t.same(ha!.output, { type: 'unknown' })
  t.equal(ha!.return, null)
  void a
  t.same(hb!.output, { type: 'unknown' })
  t.equal(hb!.return, 4, 'the time the client gave up is kept')
})

t.test('a history with an unknown write that later shows up is linearizable; a failed one that shows up is not', async (t) => {
  const c = clock()
  const make = (writeOutcome: 'unknown' | 'fail') => {
    const rec = new HistoryRecorder(c.now)
    const w = rec.invoke('c0', 'k', { type: 'write', value: 'c0-1' })
    c.advance(5)
    w.complete(writeOutcome === 'unknown' ? { type: 'unknown' } : { type: 'fail' })
    c.advance(5)
    const r = rec.invoke('c1', 'k', { type: 'read' })
    c.advance(1)
    r.complete({ type: 'ok', value: 'c0-1' })
    return rec.history()
  }
  t.equal(checkLinearizability(make('unknown')).result, 'ok')
  t.equal(checkLinearizability(make('fail')).result, 'violation')
})

t.test('countOutcomes sorts by operation type and outcome, conflicts apart', async (t) => {
  const rec = new HistoryRecorder(clock().now)
  rec.invoke('c', 'k', { type: 'read' }).complete({ type: 'ok', value: null })
  rec.invoke('c', 'k', { type: 'read' }).complete({ type: 'fail' })
  rec.invoke('c', 'k', { type: 'cas', expected: 'a', value: 'b' }).complete({ type: 'fail', conflict: true })
  rec.invoke('c', 'k', { type: 'cas', expected: 'a', value: 'c' }).complete({ type: 'fail' })
  rec.invoke('c', 'k', { type: 'write', value: 'd' })
  t.same(countOutcomes(rec.history()), {
    read: { ok: 1, fail: 1, conflict: 0, unknown: 0 },
    write: { ok: 0, fail: 0, conflict: 0, unknown: 1 },
    cas: { ok: 0, fail: 1, conflict: 1, unknown: 0 },
  })
})

t.test('what the client got is kept for outcomes that are not ok, and counted', async (t) => {
  const rec = new HistoryRecorder(clock().now)
  rec.invoke('c', 'k', { type: 'read' }).complete({ type: 'ok', value: null }, '404 NotFound')
  rec.invoke('c', 'k', { type: 'write', value: 'a' }).complete({ type: 'fail' }, '503 NoLeader')
  rec.invoke('c', 'k', { type: 'write', value: 'b' }).complete({ type: 'unknown' }, 'TimeoutError')
  rec.invoke('c', 'k', { type: 'write', value: 'c' }).complete({ type: 'unknown' }, 'TimeoutError')
  const h = rec.history()
  t.equal(h[0]!.why, undefined, 'an ok outcome carries no reason')
  t.equal(h[1]!.why, '503 NoLeader')
  t.same(countReasons(h), { TimeoutError: 2, '503 NoLeader': 1 })
  t.same(Object.keys(countReasons(h)), ['TimeoutError', '503 NoLeader'], 'most frequent first')
})
