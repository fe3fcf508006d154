// A chaos series: the seed range, one row per run read from its report, the worst exit code, the table.
import t from 'tap'
import type { ChaosReport } from '../../src/chaos/report.js'
import { EXIT_OK, EXIT_SETUP, EXIT_VIOLATION, type ChaosResult } from '../../src/chaos/run.js'
import { formatSeries, parseSeedRange, seriesExitCode, seriesRow } from '../../src/chaos/series.js'

function result(seed: number, verdict: 'ok' | 'violation', lost: number): ChaosResult {
  const report = {
    seed, nodes: 5, timeSec: 180, nemeses: ['kill'], replay: '', filter: { mode: 'iptables', fallback: false, warnings: [] },
    startedAt: '', durationMs: 186_800, schedule: [], faults: [], faultsInjected: 28, recovery: { healthy: true, ms: 0 },
    workloads: [
      { name: 'cas-register', result: verdict, summary: { operations: 11010, outcomes: { read: { unknown: 0 }, write: { unknown: 5 }, cas: { unknown: 14 } }, checker: { ms: 49 }, lostWrites: Array(lost).fill({}) } },
      { name: 'orchestration', result: 'ok', summary: { converged: { ok: true, ms: 140 } } },
    ],
    verdict, exitCode: verdict === 'ok' ? EXIT_OK : EXIT_VIOLATION,
  } as unknown as ChaosReport
  return { exitCode: report.exitCode, report }
}

t.test('seed ranges', async (t) => {
  t.same(parseSeedRange('201..203'), [201, 202, 203])
  t.same(parseSeedRange('7'), [7])
  t.throws(() => parseSeedRange('5..3'), /empty/)
  t.throws(() => parseSeedRange('a..b'), /range A\.\.B/)
  t.throws(() => parseSeedRange('1..5000'), /at most 1000/)
})

t.test('a row per run, from its report', async (t) => {
  const row = seriesRow(201, result(201, 'ok', 0))
  t.same(row, { seed: 201, verdict: 'ok', exitCode: 0, seconds: 186.8, faults: 28, operations: 11010, unknown: 19, checkerMs: 49, lostWrites: 0, convergedMs: 140 })
  const setup = seriesRow(9, { exitCode: EXIT_SETUP, setupError: 'no cluster' })
  t.equal(setup.verdict, 'setup')
  t.equal(setup.operations, undefined)
})

t.test('the worst run decides the exit code', async (t) => {
  const ok = seriesRow(1, result(1, 'ok', 0))
  const bad = seriesRow(2, result(2, 'violation', 1))
  const setup = seriesRow(3, { exitCode: EXIT_SETUP })
  t.equal(seriesExitCode([ok, ok]), EXIT_OK)
  t.equal(seriesExitCode([ok, setup]), EXIT_SETUP)
  t.equal(seriesExitCode([setup, bad, ok]), EXIT_VIOLATION)
  t.equal(seriesExitCode([ok, { ...ok, exitCode: 130 }]), 130)
})

t.test('the table and its totals', async (t) => {
  const text = formatSeries([seriesRow(201, result(201, 'ok', 0)), seriesRow(202, result(202, 'violation', 2)), seriesRow(203, { exitCode: EXIT_SETUP })])
  const lines = text.trimEnd().split('\n')
  t.match(lines[0], /^SEED\s+VERDICT\s+SECONDS\s+FAULTS\s+OPERATIONS\s+UNKNOWN\s+CHECKER MS\s+LOST WRITES\s+CONVERGED S$/)
  t.match(lines[1], /^201\s+OK\s+187\s+28\s+11010\s+19\s+49\s+0\s+0\.1$/)
  t.match(lines[2], /^202\s+VIOLATION\s+.*\s+2\s+0\.1$/)
  t.match(lines[3], /^203\s+SETUP(\s+-)+$/)
  t.equal(lines.at(-1), '3 runs: 1 passed, 2 not; 56 faults injected; 22020 operations checked in 98 ms of checker time; 2 acknowledged writes lost')
})
