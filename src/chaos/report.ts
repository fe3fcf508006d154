// The files of a run: history.json (every operation), report.json, and report.txt for people.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describeFault, type ScheduledFault } from './faults.js'
import type { FilterMode } from './filter.js'
import type { FaultRecord } from './nemesis.js'
import type { WorkloadVerdict } from './workload.js'

export type RunVerdict = 'ok' | 'violation' | 'unknown'

export interface ChaosReport {
  readonly seed: number
  readonly nodes: number
  readonly timeSec: number
  readonly nemeses: readonly string[]
  readonly replay: string
  readonly filter: { readonly mode: FilterMode; readonly fallback: boolean; readonly reason?: string; readonly warnings: readonly string[] }
  readonly startedAt: string
  readonly durationMs: number
  readonly schedule: readonly ScheduledFault[]
  readonly faults: readonly FaultRecord[]
  readonly faultsInjected: number
  readonly recovery: { readonly healthy: boolean; readonly problem?: string; readonly ms: number }
  readonly workloads: readonly { readonly name: string; readonly result: RunVerdict; readonly summary: Readonly<Record<string, unknown>> }[]
  readonly verdict: RunVerdict
  readonly exitCode: number
}

export function formatReportText(r: ChaosReport, workloads: readonly WorkloadVerdict[]): string {
  const lines = [
    `podmesh chaos run: ${r.verdict.toUpperCase()}`,
    `seed ${r.seed}, ${r.nodes} nodes, ${r.timeSec} s, nemeses ${r.nemeses.join(',')}; started ${r.startedAt}, took ${(r.durationMs / 1000).toFixed(1)} s`,
    `replay: ${r.replay}`,
    `packet filter: ${r.filter.mode}${r.filter.fallback ? ` (FALLBACK: ${r.filter.reason ?? 'requested'})` : ''}`,
    ...r.filter.warnings.map((w) => `WARNING: ${w}`),
    '',
    `faults injected: ${r.faultsInjected} of ${r.schedule.length} scheduled`,
    ...r.faults.map((f) => {
      const span = `${(f.start / 1000).toFixed(1)}s-${f.healed === null ? '?' : (f.healed / 1000).toFixed(1) + 's'}`
      return `  #${f.id} ${span.padEnd(13)} ${f.description} -> ${f.target}${f.injected ? '' : ' [NOT INJECTED]'}${f.note ? ` (${f.note})` : ''}`
    }),
    '',
    `recovery after the heal: ${r.recovery.healthy ? 'healthy' : `NOT HEALTHY: ${r.recovery.problem}`} (${(r.recovery.ms / 1000).toFixed(1)} s)`,
  ]
  for (const w of workloads) lines.push('', `workload ${w.name}: ${w.result.toUpperCase()}`, ...w.text)
  return lines.join('\n') + '\n'
}

export function scheduleText(schedule: readonly ScheduledFault[]): string[] {
  return schedule.map((f) => `  #${f.id} at ${(f.at / 1000).toFixed(1)}s for ${(f.duration / 1000).toFixed(1)}s: ${describeFault(f.fault)}`)
}

/** Writes the three files under `dir` and returns their paths. */
export async function writeRunFiles(dir: string, report: ChaosReport, workloads: readonly WorkloadVerdict[]): Promise<{ dir: string; history: string; report: string; text: string }> {
  await mkdir(dir, { recursive: true })
  const paths = { dir, history: join(dir, 'history.json'), report: join(dir, 'report.json'), text: join(dir, 'report.txt') }
  const history = { seed: report.seed, workloads: Object.fromEntries(workloads.map((w) => [w.name, w.history])) }
  await writeFile(paths.history, JSON.stringify(history) + '\n')
  await writeFile(paths.report, JSON.stringify(report, null, 2) + '\n')
  await writeFile(paths.text, formatReportText(report, workloads))
  return paths
}
