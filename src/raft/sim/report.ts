import type { SimResult } from './simulate.js'
import { DEFAULT_STEPS, STEPS_PER_TICK } from './simulate.js'
import { formatViolation } from './violation.js'

/** The flags that replay a run exactly. */
export interface ReplayFlags {
  readonly seed: number
  readonly nodes?: number | undefined
  readonly steps?: number | undefined
}

export function replayCommand(f: ReplayFlags): string {
  const nodes = f.nodes === undefined ? '' : ` --nodes ${f.nodes}`
  const steps = f.steps === undefined || f.steps === DEFAULT_STEPS ? '' : ` --steps ${f.steps}`
  return `npm run sim -- --seed ${f.seed}${nodes}${steps}`
}

/** The first violation, the replay command and the end of the trace. */
export function formatFailure(r: SimResult, flags: ReplayFlags, tail = 200): string[] {
  const first = r.violations[0]
  const lines = [`FAIL seed ${r.seed} (${r.stats.nodes} nodes): ${first === undefined ? 'no violation?' : formatViolation(first)}`]
  for (const v of r.violations.slice(1, 5)) lines.push(`  also ${formatViolation(v)}`)
  const shown = Math.min(tail, r.trace.lines.length)
  lines.push(`last ${shown} of ${r.trace.lines.length} trace lines:`)
  for (const l of r.trace.tail(tail)) lines.push(`  ${l}`)
  lines.push(`replay: ${replayCommand(flags)}`)
  return lines
}

export function formatSeedLine(r: SimResult): string {
  const s = r.stats
  const verdict = r.ok ? 'ok  ' : 'FAIL'
  return `${verdict} seed ${r.seed}: ${s.nodes} nodes, ${s.ticks} ticks, ${s.elections} elections, ${s.acknowledged}/${s.proposed} proposals acknowledged, ${s.snapshotsSent} snapshots sent, ${s.confChanges} conf changes, ${s.crashes} crashes, ${s.partitions} partitions`
}

/** Totals over many runs. */
export class Totals {
  seeds = 0
  readonly failed: number[] = []
  steps = 0
  elections = 0
  leaderChanges = 0
  proposed = 0
  acknowledged = 0
  reads = 0
  snapshotsSent = 0
  snapshotChunks = 0
  confChanges = 0
  crashes = 0
  partitions = 0
  messages = 0
  dropped = 0
  violations = 0
  worstHealToCommit = 0

  add(r: SimResult): void {
    const s = r.stats
    this.seeds++
    if (!r.ok) this.failed.push(r.seed)
    this.steps += s.steps
    this.elections += s.elections
    this.leaderChanges += s.leaderChanges
    this.proposed += s.proposed
    this.acknowledged += s.acknowledged
    this.reads += s.readsChecked
    this.snapshotsSent += s.snapshotsSent
    this.snapshotChunks += s.snapshotChunks
    this.confChanges += s.confChanges
    this.crashes += s.crashes
    this.partitions += s.partitions
    this.messages += s.network.delivered
    this.dropped += s.network.dropped + s.network.cut
    this.violations += r.violations.length
    this.worstHealToCommit = Math.max(this.worstHealToCommit, s.healToCommit ?? 0)
  }

  /** A two-column table. */
  format(elapsedMs: number): string[] {
    const rows: Array<[string, string | number]> = [
      ['seeds run', this.seeds],
      ['seeds failed', this.failed.length === 0 ? 0 : `${this.failed.length} (${this.failed.slice(0, 10).join(', ')}${this.failed.length > 10 ? ', ...' : ''})`],
      ['steps', `${this.steps} (${Math.round(this.steps / STEPS_PER_TICK)} ticks)`],
      ['elections', this.elections],
      ['leader changes', this.leaderChanges],
      ['proposals acknowledged', `${this.acknowledged} of ${this.proposed}`],
      ['reads checked', this.reads],
      ['snapshots sent', `${this.snapshotsSent} (${this.snapshotChunks} chunks)`],
      ['conf changes', this.confChanges],
      ['crashes', this.crashes],
      ['partitions', this.partitions],
      ['messages delivered', this.messages],
      ['messages lost', this.dropped],
      ['worst heal-to-commit', `${this.worstHealToCommit} ticks`],
      ['violations', this.violations],
      ['elapsed', `${(elapsedMs / 1000).toFixed(1)} s`],
    ]
    const width = Math.max(...rows.map(([k]) => k.length))
    return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)
  }
}
