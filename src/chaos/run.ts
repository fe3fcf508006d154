// A chaos run from start to end: form a cluster of real agents, run the workloads while the nemesis
// injects the seeded fault schedule, heal, read the final state, check, report, clean up.
import { rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { ChaosCluster, nodeAddress } from './cluster.js'
import { electionSafety } from './election-safety.js'
import { NEMESES, type NemesisKind } from './faults.js'
import { iptablesUnavailable, IptablesFilter, removeStaleChain } from './iptables.js'
import { Nemesis } from './nemesis.js'
import { DockerObserver, ProcessObserver } from './orchestration-observe.js'
import { OrchestrationWorkload, type OrchestrationWorkloadOptions } from './orchestration-workload.js'
import { ProxyFilter } from './proxy-filter.js'
import { RegisterWorkload, type RegisterWorkloadOptions } from './register-workload.js'
import { RunLock } from './run-lock.js'
import { scheduleText, writeRunFiles, type ChaosReport, type RunVerdict } from './report.js'
import { generateSchedule } from './schedule.js'
import { checkDialSources } from './source-check.js'
import type { PacketFilter } from './filter.js'
import type { Workload, WorkloadContext, WorkloadVerdict } from './workload.js'

export interface ChaosOptions {
  readonly nodes?: number
  readonly timeSec?: number
  readonly seed?: number
  readonly nemeses?: readonly NemesisKind[]
  /** Run directories go under here: <out>/chaos-<seed>/. Default ./chaos-runs. */
  readonly out?: string
  /** Use the in-process filter even where iptables works. */
  readonly forceFallback?: boolean
  readonly register?: RegisterWorkloadOptions
  /** Default: both. */
  readonly workloads?: readonly WorkloadName[]
  /** How the agents run the orchestration workload's pods. Default process. */
  readonly runtime?: PodRuntimeName
  readonly orchestration?: OrchestrationWorkloadOptions
  /** Default: console.log. */
  readonly log?: (line: string) => void
  /** Aborting it ends the run early (still healed, checked and cleaned up). */
  readonly signal?: AbortSignal
}

export const WORKLOADS = ['register', 'orchestration'] as const
export type WorkloadName = (typeof WORKLOADS)[number]
export const POD_RUNTIMES = ['process', 'docker'] as const
export type PodRuntimeName = (typeof POD_RUNTIMES)[number]

export const EXIT_OK = 0
export const EXIT_VIOLATION = 1
export const EXIT_SETUP = 2

export interface ChaosResult {
  readonly exitCode: number
  readonly report?: ChaosReport
  readonly dir?: string
  readonly setupError?: string
}

/** Everything a run made that cleanup must undo, also from a synchronous exit handler. */
export interface RunResources {
  cluster?: ChaosCluster
  filter?: PacketFilter
  /** Its cleanup stops the replica instances the SIGKILLed agents leave behind. */
  orchestration?: OrchestrationWorkload
  /** Held for the whole run: one chaos run at a time on a machine. */
  lock?: RunLock
}

export function replayCommand(seed: number, nodes: number, timeSec: number, nemeses: readonly string[], fallback = false, extra = ''): string {
  return `npm run chaos -- --nodes ${nodes} --time ${timeSec} --seed ${seed} --nemesis ${nemeses.join(',')}${fallback ? ' --fallback' : ''}${extra}`
}

/** The flags beyond the defaults that shape the workloads, for the replay command. */
function workloadFlags(opts: ChaosOptions): string {
  const parts: string[] = []
  if (opts.workloads !== undefined && opts.workloads.length !== WORKLOADS.length) parts.push(`--workload ${opts.workloads.join(',')}`)
  if (opts.runtime !== undefined && opts.runtime !== 'process') parts.push(`--runtime ${opts.runtime}`)
  if (opts.orchestration?.replicas !== undefined && opts.orchestration.replicas !== 6) parts.push(`--replicas ${opts.orchestration.replicas}`)
  return parts.map((p) => ` ${p}`).join('')
}

export async function runChaos(opts: ChaosOptions = {}, res: RunResources = {}): Promise<ChaosResult> {
  const log = opts.log ?? ((l: string) => console.log(l))
  const nodes = opts.nodes ?? 5
  const timeSec = opts.timeSec ?? 60
  const seed = (opts.seed ?? Math.floor(Math.random() * 2 ** 31)) >>> 0
  const nemeses = opts.nemeses ?? NEMESES
  const dir = resolve(opts.out ?? 'chaos-runs', `chaos-${seed}`)
  const schedule = generateSchedule({ seed, nodes, durationMs: timeSec * 1000, nemeses })
  const replay = replayCommand(seed, nodes, timeSec, nemeses, opts.forceFallback === true, workloadFlags(opts))
  log(`chaos: seed ${seed}; replay with: ${replay}`)
  log(`chaos: ${schedule.length} faults scheduled\n${scheduleText(schedule).join('\n')}`)
  const startedAt = new Date()
  let setup: Awaited<ReturnType<typeof setUp>>
  try {
    res.lock = await RunLock.acquire(log, opts.signal)
    setup = await setUp({ nodes, dir, forceFallback: opts.forceFallback === true, runtime: opts.runtime ?? 'process' }, res, log)
  } catch (err) {
    log(`chaos: setup failed: ${(err as Error).message}`)
    await tearDown(res)
    return { exitCode: EXIT_SETUP, setupError: (err as Error).message }
  }
  try {
    const cluster = res.cluster!
    const workloads = await makeWorkloads(opts, seed, res)
    const ctx: WorkloadContext = { endpoints: () => cluster.endpoints(), seed, log }
    const nemesis = await exercise(res, workloads, ctx, schedule, timeSec, opts.signal, log)
    const recovery = await recover(res, log)
    // Side by side: the orchestration workload's convergence bound runs from the heal.
    if (recovery.healthy) await Promise.all(workloads.map((w) => w.final(ctx)))
    const verdicts: WorkloadVerdict[] = []
    for (const w of workloads) verdicts.push(await w.check(ctx))
    verdicts.push(await electionSafety(join(dir, 'logs')))
    const verdict = overall(verdicts, recovery.healthy)
    const report: ChaosReport = {
      seed, nodes, timeSec, nemeses, replay,
      filter: { mode: res.filter!.mode, fallback: setup.fallbackReason !== undefined, ...(setup.fallbackReason ? { reason: setup.fallbackReason } : {}), warnings: setup.warnings },
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      schedule,
      faults: nemesis.records,
      faultsInjected: nemesis.records.filter((r) => r.injected).length,
      recovery,
      workloads: verdicts.map((v) => ({ name: v.name, result: v.result, summary: v.summary })),
      verdict,
      exitCode: verdict === 'violation' ? EXIT_VIOLATION : EXIT_OK,
    }
    const files = await writeRunFiles(dir, report, verdicts)
    log(`chaos: ${verdict.toUpperCase()}; ${report.faultsInjected} faults injected; report in ${files.text}`)
    return { exitCode: report.exitCode, report, dir }
  } finally {
    await tearDown(res)
    await rm(join(dir, 'data'), { recursive: true, force: true })
  }
}

async function makeWorkloads(opts: ChaosOptions, seed: number, res: RunResources): Promise<Workload[]> {
  const chosen = opts.workloads ?? WORKLOADS
  const out: Workload[] = []
  if (chosen.includes('register')) out.push(new RegisterWorkload(opts.register))
  if (chosen.includes('orchestration')) {
    const runId = `${seed}-${Date.now().toString(36)}`
    const observer = opts.runtime === 'docker' ? await DockerObserver.create(runId) : new ProcessObserver(runId)
    const cluster = res.cluster!
    const agents = () => cluster.nodes.map((n) => ({ api: n.api, pid: n.pid, running: n.running, paused: n.paused }))
    res.orchestration = new OrchestrationWorkload(runId, observer, agents, opts.orchestration)
    out.push(res.orchestration)
  }
  return out
}

async function checkDocker(): Promise<void> {
  const { dockerAvailable } = await import('../runtime/docker/index.js')
  if (!(await dockerAvailable())) throw new Error('--runtime docker: Docker does not answer; start it (scripts/setup-docker.sh) or use --runtime process')
}

function overall(verdicts: readonly WorkloadVerdict[], healthy: boolean): RunVerdict {
  if (!healthy || verdicts.some((v) => v.result === 'violation')) return 'violation'
  return verdicts.some((v) => v.result === 'unknown') ? 'unknown' : 'ok'
}

/** Picks the packet filter, forms the cluster, and checks that partitions will really cut. */
async function setUp({ nodes, dir, forceFallback, runtime }: { nodes: number; dir: string; forceFallback: boolean; runtime: PodRuntimeName }, res: RunResources, log: (l: string) => void) {
  const warnings: string[] = []
  if (runtime === 'docker') await checkDocker()
  const fallbackReason = forceFallback ? 'requested with --fallback' : await iptablesUnavailable()
  if (fallbackReason !== undefined) log(`chaos: not using iptables (${fallbackReason}); partitions go through the in-process filter instead`)
  else if (await removeStaleChain()) log('chaos: removed a packet-filter chain left behind by an earlier run')
  const cluster = await ChaosCluster.create({ nodes, root: join(dir, 'data'), logDir: join(dir, 'logs'), filterPorts: fallbackReason !== undefined, runtime })
  res.cluster = cluster
  const slotOf = (addr: string) => {
    const i = cluster.nodes.findIndex((n) => n.host === addr)
    return i >= 0 ? i : undefined
  }
  res.filter =
    fallbackReason === undefined
      ? await IptablesFilter.create((slot) => nodeAddress(slot))
      : await ProxyFilter.create(cluster.nodes.map((n) => ({ slot: n.slot, host: n.host, listenPort: n.init.advertisePort!, meshPort: n.init.meshPort })), slotOf)
  await cluster.form()
  log(`chaos: ${nodes} agents formed a cluster (${cluster.nodes.map((n) => `${n.name} ${n.host}`).join(', ')})`)
  const foreign = await checkDialSources(
    cluster.nodes.map((n) => ({ host: n.host, port: Number(n.meshAddress.split(':')[1]) })),
    new Set(cluster.nodes.map((n) => n.host)),
  )
  if (foreign.length > 0) warnings.push(`mesh connections from outside the nodes' addresses, which partitions cannot cut (agents not dialing from their own address?): ${foreign.slice(0, 3).join(', ')}`)
  for (const w of warnings) log(`chaos: WARNING: ${w}`)
  return { fallbackReason, warnings }
}

/** The workloads and the nemesis side by side for `timeSec`; then every fault is healed. */
async function exercise(res: RunResources, workloads: readonly Workload[], ctx: WorkloadContext, schedule: Parameters<Nemesis['run']>[0], timeSec: number, outer: AbortSignal | undefined, log: (l: string) => void): Promise<Nemesis> {
  const started = performance.now()
  // A plain controller and timer: AbortSignal.any over AbortSignal.timeout can be collected before it fires on Node 20.
  const stop = new AbortController()
  const timer = setTimeout(() => stop.abort(), timeSec * 1000)
  const onOuter = () => stop.abort()
  outer?.addEventListener('abort', onOuter)
  if (outer?.aborted) stop.abort()
  const nemesis = new Nemesis({ cluster: res.cluster!, filter: res.filter!, elapsed: () => performance.now() - started, log })
  try {
    await Promise.all([...workloads.map((w) => w.run(ctx, stop.signal)), nemesis.run(schedule, stop.signal)])
  } finally {
    clearTimeout(timer)
    outer?.removeEventListener('abort', onOuter)
  }
  return nemesis
}

/** Heals whatever is left (the nemesis heals its own faults; this is the safety net), then waits for health. */
async function recover(res: RunResources, log: (l: string) => void): Promise<ChaosReport['recovery']> {
  const started = Date.now()
  const cluster = res.cluster!
  await res.filter!.heal()
  for (const n of cluster.nodes) {
    if (n.paused) n.signal('SIGCONT')
    if (!n.running) n.start({ kind: 'start' })
  }
  const problem = await cluster.waitHealthy(60_000)
  const ms = Date.now() - started
  log(problem === undefined ? `chaos: healthy again after ${ms} ms` : `chaos: NOT healthy ${ms} ms after the heal: ${problem}`)
  return { healthy: problem === undefined, ...(problem === undefined ? {} : { problem }), ms }
}

export async function tearDown(res: RunResources): Promise<void> {
  await res.cluster?.destroy().catch(() => undefined)
  // After the agents are dead: none can start another instance behind it.
  await res.orchestration?.cleanUp().catch(() => undefined)
  await res.filter?.close().catch(() => undefined)
  res.lock?.release()
}

/** For exit handlers: no awaiting. */
export function tearDownNow(res: RunResources): void {
  res.cluster?.killAllNow()
  res.orchestration?.cleanUpNow()
  res.filter?.closeNow()
  res.lock?.release()
}
