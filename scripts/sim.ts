// npm run sim [-- --seed N | --seeds A..B] [--nodes 3|5|7] [--steps N] [--no-faults] [-v]
// Without a seed: a narrated demonstration (5 nodes, seed 1, faults), ending in a summary.
import { parseArgs } from 'node:util'
import { performance } from 'node:perf_hooks'
import type { ClusterSize, ReplayFlags, SimResult } from '../src/raft/sim/index.js'
import { DEFAULT_STEPS, formatFailure, formatSeedLine, podmeshCore, replayCommand, simulate, STEPS_PER_TICK, Totals } from '../src/raft/sim/index.js'

class UsageError extends Error {
  static override name = 'UsageError'
  override name = 'UsageError'
}

interface Cli {
  readonly seeds: number[]
  readonly nodes: ClusterSize | undefined
  readonly steps: number | undefined
  readonly faults: boolean
  readonly verbose: boolean
  readonly demo: boolean
}

function parseCli(argv: string[]): Cli {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string' },
      seeds: { type: 'string' },
      nodes: { type: 'string' },
      steps: { type: 'string' },
      'no-faults': { type: 'boolean', default: false },
      verbose: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) throw new UsageError('help')
  const int = (s: string, what: string): number => {
    if (!/^\d+$/.test(s)) throw new UsageError(`${what} must be a non-negative integer, got '${s}'`)
    return Number(s)
  }
  let seeds = [1]
  if (values.seed !== undefined) seeds = [int(values.seed, '--seed')]
  if (values.seeds !== undefined) {
    const m = /^(\d+)\.\.(\d+)$/.exec(values.seeds)
    if (m === null) throw new UsageError(`--seeds takes a range A..B, got '${values.seeds}'`)
    const [a, b] = [Number(m[1]), Number(m[2])]
    if (b < a) throw new UsageError(`--seeds ${values.seeds}: the range is empty`)
    seeds = Array.from({ length: b - a + 1 }, (_, i) => a + i)
  }
  const nodes = values.nodes === undefined ? undefined : int(values.nodes, '--nodes')
  if (nodes !== undefined && nodes !== 3 && nodes !== 5 && nodes !== 7) throw new UsageError('--nodes must be 3, 5 or 7')
  const demo = values.seed === undefined && values.seeds === undefined
  return {
    seeds,
    nodes: nodes ?? (demo ? 5 : undefined),
    steps: values.steps === undefined ? undefined : int(values.steps, '--steps'),
    faults: !values['no-faults'],
    verbose: values.verbose,
    demo,
  }
}

function runOne(cli: Cli, seed: number): SimResult {
  return simulate({ seed, nodes: cli.nodes, steps: cli.steps, faults: cli.faults, verbose: cli.verbose, core: podmeshCore })
}

function flagsOf(cli: Cli, seed: number): ReplayFlags {
  return { seed, nodes: cli.demo ? undefined : cli.nodes, steps: cli.steps }
}

function demo(cli: Cli): boolean {
  const seed = cli.seeds[0] as number
  console.log(`podmesh Raft simulator: ${cli.nodes} nodes, seed ${seed}, ${cli.steps ?? DEFAULT_STEPS} steps of faults, then a heal.`)
  console.log(`t = simulated time in steps (${STEPS_PER_TICK} steps = 1 tick; election timeout 10-20 ticks). Every step is checked.`)
  console.log('')
  const t0 = performance.now()
  const r = runOne(cli, seed)
  for (const line of r.trace.format()) console.log(line)
  console.log('')
  return finish(cli, [r], performance.now() - t0)
}

function sweep(cli: Cli): boolean {
  const t0 = performance.now()
  const results: SimResult[] = []
  const every = Math.max(1, Math.ceil(cli.seeds.length / 10))
  for (const seed of cli.seeds) {
    const r = runOne(cli, seed)
    results.push({ ...r, trace: r.ok && !cli.verbose ? emptyTrace(r) : r.trace })
    if (cli.verbose) for (const line of r.trace.format()) console.log(line)
    if (cli.seeds.length <= 20 || !r.ok) console.log(formatSeedLine(r))
    if (cli.seeds.length > 20 && results.length % every === 0) {
      console.log(`... ${results.length}/${cli.seeds.length} seeds, ${results.filter((x) => !x.ok).length} failed`)
    }
  }
  return finish(cli, results, performance.now() - t0)
}

/** Keeps memory flat over long sweeps: passing runs' traces are not needed. */
function emptyTrace(r: SimResult): SimResult['trace'] {
  r.trace.lines.length = 0
  return r.trace
}

function finish(cli: Cli, results: SimResult[], elapsed: number): boolean {
  const totals = new Totals()
  for (const r of results) totals.add(r)
  const failures = results.filter((r) => !r.ok)
  const first = failures[0]
  if (first !== undefined && !cli.verbose) {
    console.log('')
    for (const line of formatFailure(first, flagsOf(cli, first.seed))) console.log(line)
  }
  if (cli.demo || cli.seeds.length > 1 || first === undefined) {
    if (!cli.demo) console.log('')
    console.log('summary:')
    for (const line of totals.format(elapsed)) console.log(line)
  }
  if (failures.length > 1) for (const f of failures.slice(0, 20)) console.log(`replay: ${replayCommand(flagsOf(cli, f.seed))}`)
  return failures.length === 0
}

function main(): void {
  let cli: Cli
  try {
    cli = parseCli(process.argv.slice(2))
  } catch (err) {
    const help = 'usage: npm run sim [-- --seed N | --seeds A..B] [--nodes 3|5|7] [--steps N] [--no-faults] [-v]'
    if (err instanceof UsageError && err.message === 'help') {
      console.log(help)
      return
    }
    console.error(`${err instanceof Error ? err.message : String(err)}\n${help}`)
    process.exitCode = 2
    return
  }
  const ok = cli.demo ? demo(cli) : sweep(cli)
  process.exitCode = ok ? 0 : 1
}

main()
