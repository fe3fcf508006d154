// npm run bench -- [--only raft,api] [--runs N] [--quick]
// Runs the benchmark scripts one after another (each with --json), shows which one is running on
// stderr, and prints one table: figure, measured (the script's median), goal, reference, pass/fail.
// A script that is not compiled beside this one shows as "not built". Exit status 1 when a script
// failed, or a figure missed its goal (with --quick, whose short runs only prove the scripts work, only
// when a script failed).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { BENCHES, GOALS, formatGoal, formatNumber, passes, type BenchScript } from './lib/bench-goals.js'
import { scriptFlags } from './lib/script-flags.js'
import { printTable } from './lib/stats.js'

type Outcome =
  | { readonly kind: 'figures'; readonly figures: Readonly<Record<string, unknown>>; readonly seconds: number }
  | { readonly kind: 'skipped'; readonly why: string }
  | { readonly kind: 'not built' }
  | { readonly kind: 'failed'; readonly why: string }

function options(): { benches: BenchScript[]; runs: number | undefined; quick: boolean } {
  const flags = scriptFlags('bench', 'Runs the benchmark scripts one after another and prints one table of figures and goals.', {
    only: { type: 'list', choices: BENCHES.map((b) => b.name), help: 'the benchmarks to run' },
    runs: { type: 'count', help: "runs (or trials) each figure is the median of (default: each script's own)" },
    quick: { type: 'switch', help: 'short durations: proves every script works; the figures are not comparable to the goals' },
  })
  return { benches: BENCHES.filter((b) => flags.only.includes(b.name)), runs: flags.runs, quick: flags.quick }
}

/** The script's flags: --json, the quick durations, then --runs (later flags win). */
function argsFor(b: BenchScript, runs: number | undefined, quick: boolean): string[] {
  return ['--json', ...(quick ? b.quick : []), ...(runs === undefined ? [] : [b.runsFlag, String(runs)])]
}

let current: ReturnType<typeof spawn> | undefined

function runOne(b: BenchScript, args: readonly string[]): Promise<Outcome> {
  const file = fileURLToPath(new URL(`./${b.file}`, import.meta.url))
  if (!existsSync(file)) return Promise.resolve({ kind: 'not built' })
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    current = child
    let stdout = ''
    let partial = ''
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
    // The script's progress, line by line, marked with its name.
    child.stderr!.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n')
      partial = lines.pop()!
      for (const l of lines) process.stderr.write(`  [${b.name}] ${l}\n`)
    })
    child.on('exit', (code, signal) => {
      current = undefined
      if (partial) process.stderr.write(`  [${b.name}] ${partial}\n`)
      const last = stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'))
      let parsed: Record<string, unknown> | undefined
      try {
        parsed = last === undefined ? undefined : (JSON.parse(last) as Record<string, unknown>)
      } catch {
        parsed = undefined
      }
      const seconds = (performance.now() - started) / 1000
      if (parsed && typeof parsed.skipped === 'string') resolve({ kind: 'skipped', why: parsed.skipped })
      else if (parsed && code === 0) resolve({ kind: 'figures', figures: parsed, seconds })
      else resolve({ kind: 'failed', why: `exit ${signal ?? code}${parsed ? '' : ', no JSON figures on stdout'}; its output is above` })
    })
  })
}

interface Row {
  readonly cells: string[]
  /** A figure missed its goal, or the script failed. */
  readonly fail: boolean
  /** The script failed. */
  readonly broken?: boolean
}

function rowsFor(b: BenchScript, outcome: Outcome): Row[] {
  const goals = GOALS.filter((g) => g.bench === b.name)
  if (outcome.kind !== 'figures') {
    const what = outcome.kind === 'not built' ? 'not built' : outcome.kind === 'skipped' ? `skipped: ${outcome.why}` : `FAILED: ${outcome.why}`
    return [{ cells: [`${b.name} (${goals.length} figures)`, what, '', '', outcome.kind === 'failed' ? 'FAIL' : '-'], fail: outcome.kind === 'failed', broken: outcome.kind === 'failed' }]
  }
  const rows: Row[] = goals.map((g) => {
    const v = outcome.figures[g.key]
    if (typeof v !== 'number') return { cells: [g.label, `missing (no "${g.key}" in its JSON)`, formatGoal(g), g.reference, 'FAIL'], fail: true }
    const ok = passes(g, v)
    return { cells: [g.label, formatNumber(v, g.unit), formatGoal(g), g.reference, ok ? 'pass' : 'FAIL'], fail: !ok }
  })
  // Figures a script reports beyond its goals, for information.
  for (const [k, v] of Object.entries(outcome.figures)) {
    if (k === 'bench' || typeof v !== 'number' || goals.some((g) => g.key === k)) continue
    rows.push({ cells: [`  ${b.name}: ${k}`, formatNumber(v, ''), '', '', ''], fail: false })
  }
  return rows
}

async function main(): Promise<void> {
  const { benches, runs, quick } = options()
  process.on('SIGINT', () => {
    console.error('bench: interrupted; the running benchmark cleans up after itself')
    current?.kill('SIGINT')
    process.exitCode = 130
    setTimeout(() => process.exit(130), 15_000).unref()
  })
  const rows: Row[] = []
  for (const [i, b] of benches.entries()) {
    if (process.exitCode === 130) break
    const args = argsFor(b, runs, quick)
    process.stderr.write(`bench ${i + 1}/${benches.length}: ${b.name} (${b.file} ${args.join(' ')})\n`)
    const outcome = await runOne(b, args)
    process.stderr.write(`bench ${i + 1}/${benches.length}: ${b.name}: ${outcome.kind === 'figures' ? `done in ${outcome.seconds.toFixed(0)} s` : outcome.kind}\n`)
    rows.push(...rowsFor(b, outcome))
  }
  console.log(`\npodmesh benchmarks${quick ? ' (--quick: short runs that prove the scripts work; not comparable to the goals)' : ''}${runs ? `, medians of ${runs} runs` : ''}\n`)
  printTable(['figure', 'measured (median)', 'goal', 'reference', 'result'], rows.map((r) => r.cells))
  if (process.exitCode !== 130 && rows.some((r) => r.broken || (r.fail && !quick))) process.exitCode = 1
}

await main()
