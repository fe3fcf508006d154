// The API benchmark: three real agent processes on 127.0.0.1 (fsync on), load through the leader's HTTP API
// with the lean keep-alive client (fetch() would measure the client on a 2-core machine).
// - ConfigMap writes (64-byte values) at 64 concurrent clients and at 1;
// - linearizable reads (GET, ReadIndex) at 64 concurrent clients.
// Each figure is the median over --runs runs of --seconds seconds.
// Usage: npm run bench:api -- [--runs 3] [--seconds 5] [--only w64,w1,r64] [--json]
import { eventually, Fleet, type AgentProcess } from '../src/fleet/local-fleet.js'
import { cpuMs, formFleet, leaderOf } from './lib/fleet.js'
import { runLoad, type LoadRequest } from './lib/http-load.js'
import { argValue, median, percentile, printTable } from './lib/stats.js'
import { emitFigures } from './lib/bench-json.js'
import { readFileSync } from 'node:fs'

const runs = argValue('--runs', 3)
const seconds = argValue('--seconds', 5)
const VALUE = 'v'.repeat(56)
const LOADS = ['w64', 'w1', 'r64'] as const
type LoadName = (typeof LOADS)[number]
/** --only w64,w1: measure only those loads (while profiling or comparing one change). */
const only = onlyLoads()

function onlyLoads(): ReadonlySet<LoadName> {
  const i = process.argv.indexOf('--only')
  if (i < 0) return new Set(LOADS)
  const names = (process.argv[i + 1] ?? '').split(',')
  const bad = names.filter((n) => !(LOADS as readonly string[]).includes(n))
  if (bad.length > 0) throw new Error(`--only ${bad.join(',')}: unknown load; use a comma-separated list of ${LOADS.join(', ')}`)
  return new Set(names as LoadName[])
}
interface Figures {
  readonly rate: number
  readonly p50: number
  readonly p99: number
  readonly failed: number
  /** CPU time of the leader's agent per successful request, in ms: comparable on a shared machine. */
  readonly leaderCpu: number
  /** CPU time of all three agents per successful request, in ms. */
  readonly fleetCpu: number
  /** The leader's read and write system calls per successful request (sockets, files): unlike time, load does not inflate them. */
  readonly leaderReads: number
  readonly leaderWrites: number
}

/** read- and write-like system calls of an agent so far (Linux /proc/PID/io: syscr, syscw). */
function syscalls(a: AgentProcess): { reads: number; writes: number } {
  const io = readFileSync(`/proc/${a.child!.pid}/io`, 'utf8')
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? NaN)
  return { reads: field('syscr'), writes: field('syscw') }
}

async function measure(agents: readonly AgentProcess[], leader: AgentProcess, clients: number, next: (c: number, i: number) => LoadRequest): Promise<Figures> {
  const before = agents.map(cpuMs)
  const ioBefore = syscalls(leader)
  const r = await runLoad({ host: leader.host, port: leader.apiPort, clients, seconds, next })
  const used = agents.map((a, i) => cpuMs(a) - before[i]!)
  const io = syscalls(leader)
  const ok = Math.max(1, r.ok)
  return {
    rate: r.ok / r.seconds,
    p50: percentile(r.latencies, 50),
    p99: percentile(r.latencies, 99),
    failed: r.failed,
    leaderCpu: used[agents.indexOf(leader)]! / ok,
    fleetCpu: used.reduce((x, y) => x + y, 0) / ok,
    leaderReads: (io.reads - ioBefore.reads) / ok,
    leaderWrites: (io.writes - ioBefore.writes) / ok,
  }
}

// A 64-byte value: 8 characters of counter, then padding.
const write = (c: number, i: number): LoadRequest => ({
  method: 'PUT',
  path: `/v1/configmaps/bench-${c}-${i % 16}`,
  body: `{"data":{"value":"${String(i).padStart(8, '0')}${VALUE}"}}`,
})
const read = (c: number): LoadRequest => ({ method: 'GET', path: `/v1/configmaps/bench-${c % 64}-0` })

function perOp(f: Figures | undefined): string {
  return f ? `${f.leaderCpu.toFixed(3)} ms CPU, ${f.leaderReads.toFixed(1)} reads + ${f.leaderWrites.toFixed(1)} writes per op` : '-'
}

async function main(): Promise<void> {
  const fleet = await Fleet.create('podmesh-bench-api-')
  try {
    const agents = await formFleet(fleet)
    const leader = await eventually('a leader', () => leaderOf(agents))
    const results: Record<LoadName, Figures[]> = { w64: [], w1: [], r64: [] }
    for (let run = 0; run < runs; run++) {
      if (only.has('w64')) results.w64.push(await measure(agents, leader, 64, write))
      if (only.has('w1')) results.w1.push(await measure(agents, leader, 1, write))
      if (only.has('r64')) results.r64.push(await measure(agents, leader, 64, read))
      const last = (k: LoadName) => results[k].at(-1)
      process.stderr.write(`run ${run + 1}/${runs}: writes@64 ${last('w64')?.rate.toFixed(0) ?? '-'}/s (leader ${perOp(last('w64'))}), writes@1 p50 ${last('w1')?.p50.toFixed(2) ?? '-'} ms (leader ${perOp(last('w1'))}), reads@64 ${last('r64')?.rate.toFixed(0) ?? '-'}/s\n`)
    }
    const m = (k: keyof typeof results, f: keyof Figures) => median(results[k].map((x) => x[f]))
    const failed = (k: keyof typeof results) => results[k].reduce((s, x) => s + x.failed, 0)
    const figures = { writesPerSec64: Math.round(m('w64', 'rate')), writeP50Ms1: Number(m('w1', 'p50').toFixed(3)), readsPerSec64: Math.round(m('r64', 'rate')), failed: failed('w64') + failed('w1') + failed('r64') }
    if (emitFigures('api', figures)) return
    console.log(`\nAPI through the leader, 3 agents on 127.0.0.1 with fsync; median of ${runs} runs of ${seconds} s\n`)
    printTable(
      ['load', 'measured', 'p50 ms', 'p99 ms', 'leader CPU ms/op', 'fleet CPU ms/op', 'leader syscalls r+w/op', 'goal', 'etcd 3.4 here', 'failed'],
      (
        [
          ['ConfigMap writes, 64 clients', 'w64', '>= 5,000/s', '~4,600/s'],
          ['ConfigMap writes, 1 client', 'w1', 'p50 <= 1.2 ms', '1.1 ms'],
          ['linearizable reads, 64 clients', 'r64', '>= 10,000/s', ''],
        ] as const
      ).filter(([, k]) => only.has(k)).map(([label, k, goal, etcd]) => [
        label,
        `${m(k, 'rate').toFixed(0)}/s`,
        m(k, 'p50').toFixed(2),
        m(k, 'p99').toFixed(2),
        m(k, 'leaderCpu').toFixed(3),
        m(k, 'fleetCpu').toFixed(3),
        `${m(k, 'leaderReads').toFixed(1)}+${m(k, 'leaderWrites').toFixed(1)}`,
        goal,
        etcd,
        failed(k),
      ]),
    )
  } finally {
    // A build whose bin profiles itself may save a CPU profile on SIGUSR2.
    if (process.env.PODMESH_CPU_PROF_DIR) {
      for (const a of fleet.agents) a.child?.kill('SIGUSR2')
      await new Promise((r) => setTimeout(r, 2_000))
    }
    await fleet.destroy()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
