// npm run chaos -- [--nodes 5] [--time 60] [--seed N | --seeds A..B] [--nemesis kill,pause,partition,membership] [--out DIR]
// Exit status: 0 no violation, 1 a violation (or no recovery after the heal), 2 a setup problem.
import { buildChaosCommand } from '../src/chaos/args.js'
import { EXIT_SETUP, runChaos, tearDownNow, type RunResources } from '../src/chaos/run.js'
import { formatSeries, seriesExitCode, seriesRow, type SeriesRow } from '../src/chaos/series.js'

const resources: RunResources = {}
const interrupt = new AbortController()
let signals = 0

function onSignal(sig: NodeJS.Signals): void {
  signals++
  if (signals === 1) {
    console.error(`chaos: ${sig}: healing, checking what ran so far and cleaning up (again to stop at once)`)
    interrupt.abort()
    return
  }
  tearDownNow(resources)
  process.exit(130)
}

process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)
// Whatever happens, no agent and no packet-filter rule outlives the runner.
process.on('exit', () => tearDownNow(resources))

const program = buildChaosCommand(async (opts, seeds) => {
  const rows: SeriesRow[] = []
  for (const [i, seed] of (seeds ?? [opts.seed]).entries()) {
    if (interrupt.signal.aborted) break
    if (seeds !== undefined) console.log(`chaos: series run ${i + 1} of ${seeds.length}, seed ${seed}`)
    const result = await runChaos({ ...opts, ...(seed === undefined ? {} : { seed }), signal: interrupt.signal }, resources)
    rows.push(seriesRow(result.report?.seed ?? seed ?? 0, result))
  }
  if (seeds !== undefined) console.log(`\nchaos series:\n${formatSeries(rows)}`)
  const code = seriesExitCode(rows)
  // A run cut short found nothing wrong in what it ran, but is not a pass.
  process.exitCode = code === 0 && interrupt.signal.aborted ? 130 : code
})

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`chaos: ${(err as Error)?.stack ?? String(err)}`)
  tearDownNow(resources)
  process.exitCode = EXIT_SETUP
})
