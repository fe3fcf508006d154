// A series of chaos runs (`npm run chaos -- --seeds A..B`): one run per seed, one after the other, and a
// table of what each run checked. The series exits with the worst run's code: a violation beats a setup
// problem beats a pass.
import { formatTable } from '../agent/table.js'
import { EXIT_OK, EXIT_SETUP, EXIT_VIOLATION, type ChaosResult } from './run.js'

export interface SeriesRow {
  readonly seed: number
  /** ok, violation, unknown (the checker could not decide), or setup (the run never started). */
  readonly verdict: string
  readonly exitCode: number
  readonly seconds: number | undefined
  readonly faults: number | undefined
  /** Operations of the register workload's history that the linearizability checker searched. */
  readonly operations: number | undefined
  /** Of those, writes whose outcome the client never learned. */
  readonly unknown: number | undefined
  readonly checkerMs: number | undefined
  readonly lostWrites: number | undefined
  /** From the final heal until the orchestration workload's Deployment ran exactly its replicas. */
  readonly convergedMs: number | undefined
}

/** `A..B` (inclusive) or a single seed. */
export function parseSeedRange(text: string): number[] {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(text.trim())
  if (m === null) throw new Error(`--seeds takes a range A..B (or one seed), got "${text}"`)
  const a = Number(m[1])
  const b = m[2] === undefined ? a : Number(m[2])
  if (b < a) throw new Error(`--seeds ${text}: the range is empty`)
  if (b - a >= 1000) throw new Error(`--seeds ${text}: at most 1000 runs in one series`)
  return Array.from({ length: b - a + 1 }, (_, i) => a + i)
}

type Json = Record<string, unknown>
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {})

export function seriesRow(seed: number, r: ChaosResult): SeriesRow {
  const report = r.report
  if (report === undefined) {
    return { seed, verdict: 'setup', exitCode: r.exitCode, seconds: undefined, faults: undefined, operations: undefined, unknown: undefined, checkerMs: undefined, lostWrites: undefined, convergedMs: undefined }
  }
  const register = obj(report.workloads.find((w) => w.name === 'cas-register')?.summary)
  const orchestration = obj(report.workloads.find((w) => w.name === 'orchestration')?.summary)
  const outcomes = obj(register.outcomes)
  const unknownOf = (op: string) => num(obj(outcomes[op]).unknown) ?? 0
  const lost = register.lostWrites
  const converged = obj(orchestration.converged)
  return {
    seed,
    verdict: report.verdict,
    exitCode: r.exitCode,
    seconds: report.durationMs / 1000,
    faults: report.faultsInjected,
    operations: num(register.operations),
    unknown: register.operations === undefined ? undefined : unknownOf('write') + unknownOf('cas'),
    checkerMs: num(obj(register.checker).ms),
    lostWrites: Array.isArray(lost) ? lost.length : undefined,
    convergedMs: converged.ok === true ? num(converged.ms) : undefined,
  }
}

export function seriesExitCode(rows: readonly SeriesRow[]): number {
  if (rows.some((r) => r.exitCode === EXIT_VIOLATION)) return EXIT_VIOLATION
  if (rows.some((r) => r.exitCode === EXIT_SETUP)) return EXIT_SETUP
  return rows.find((r) => r.exitCode !== EXIT_OK)?.exitCode ?? EXIT_OK
}

const cell = (v: number | undefined, digits = 0): string => (v === undefined ? '-' : v.toFixed(digits))

export function formatSeries(rows: readonly SeriesRow[]): string {
  const headers = ['seed', 'verdict', 'seconds', 'faults', 'operations', 'unknown', 'checker ms', 'lost writes', 'converged s']
  const body = rows.map((r) => [String(r.seed), r.verdict.toUpperCase(), cell(r.seconds), cell(r.faults), cell(r.operations), cell(r.unknown), cell(r.checkerMs), cell(r.lostWrites), cell(r.convergedMs === undefined ? undefined : r.convergedMs / 1000, 1)])
  const sum = (f: (r: SeriesRow) => number | undefined) => rows.reduce((n, r) => n + (f(r) ?? 0), 0)
  const passed = rows.filter((r) => r.exitCode === EXIT_OK).length
  const totals = `${rows.length} runs: ${passed} passed, ${rows.length - passed} not; ${sum((r) => r.faults)} faults injected; ${sum((r) => r.operations)} operations checked in ${sum((r) => r.checkerMs)} ms of checker time; ${sum((r) => r.lostWrites)} acknowledged writes lost`
  return `${formatTable(headers, body)}\n\n${totals}\n`
}
