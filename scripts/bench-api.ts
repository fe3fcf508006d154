// The API benchmark: three real agent processes on 127.0.0.1 (fsync on), load through the leader's HTTP API
// with the lean keep-alive client (fetch() would measure the client on a 2-core machine).
// - ConfigMap writes (64-byte values) at 64 concurrent clients and at 1;
// - linearizable reads (GET, ReadIndex) at 64 concurrent clients.
// Each figure is the median over --runs runs of --seconds seconds, after --warmup seconds of the same load
// in the first run (unmeasured: V8 compiles the request path only once it is hot, and a freshly formed
// fleet measured cold ran one writer 3-5x slower than the same fleet a minute later). With --etcd, a
// 3-member etcd 3.4 (Debian's, installed if missing) takes the same loads through its JSON gateway in
// every run, after podmesh, so both are measured on the machine as it is that day (the same key and value
// sizes: 64-byte values).
// Usage: npm run bench:api -- --help
import { eventually, Fleet } from '../src/fleet/local-fleet.js'
import { formFleet, leaderOf, processCpuMs } from './lib/fleet.js'
import { b64, startEtcd, type EtcdCluster } from './lib/etcd-cluster.js'
import { benchValue, configMapPut } from './lib/api-requests.js'
import { runLoad, type LoadRequest } from './lib/http-load.js'
import { median, percentile, printTable } from './lib/stats.js'
import { JSON_FLAG, scriptFlags } from './lib/script-flags.js'
import { emitFigures } from './lib/bench-json.js'
import { readFileSync } from 'node:fs'

const LOADS = ['w64', 'w1', 'r64'] as const
type LoadName = (typeof LOADS)[number]
const flags = scriptFlags('bench:api', 'Writes and linearizable reads through the HTTP API of 3 agents with fsync (issue #4).', {
  runs: { type: 'count', default: 3, help: 'runs each figure is the median of' },
  seconds: { type: 'number', default: 5, help: 'length of each measured run' },
  warmup: { type: 'number', default: 3, min: 0, help: 'seconds of unmeasured load before the first run of each load' },
  only: { type: 'list', choices: LOADS, help: 'the loads to measure: 64 writers, 1 writer, 64 readers' },
  etcd: { type: 'switch', help: "also measure a 3-member etcd 3.4 (installed if missing) with the same loads, in every run" },
  ...JSON_FLAG,
})
const { runs, seconds, warmup } = flags
const only: ReadonlySet<LoadName> = new Set(flags.only as LoadName[])
const withEtcd = flags.etcd

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

/** A cluster under load: where its leader's API listens, and its processes (for CPU and syscalls). */
interface Target {
  readonly host: string
  readonly port: number
  readonly pids: readonly number[]
  readonly leaderPid: number
  readonly write: (c: number, i: number) => LoadRequest
  readonly read: (c: number) => LoadRequest
}

/** read- and write-like system calls of a process so far (Linux /proc/PID/io: syscr, syscw). */
function syscalls(pid: number): { reads: number; writes: number } {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8')
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? NaN)
  return { reads: field('syscr'), writes: field('syscw') }
}

async function measure(target: Target, clients: number, next: (c: number, i: number) => LoadRequest, warm: boolean): Promise<Figures> {
  if (warm && warmup > 0) await runLoad({ host: target.host, port: target.port, clients, seconds: warmup, next })
  const before = target.pids.map(processCpuMs)
  const ioBefore = syscalls(target.leaderPid)
  const r = await runLoad({ host: target.host, port: target.port, clients, seconds, next })
  const used = target.pids.map((pid, i) => processCpuMs(pid) - before[i]!)
  const io = syscalls(target.leaderPid)
  const ok = Math.max(1, r.ok)
  return {
    rate: r.ok / r.seconds,
    p50: percentile(r.latencies, 50),
    p99: percentile(r.latencies, 99),
    failed: r.failed,
    leaderCpu: used[target.pids.indexOf(target.leaderPid)]! / ok,
    fleetCpu: used.reduce((x, y) => x + y, 0) / ok,
    leaderReads: (io.reads - ioBefore.reads) / ok,
    leaderWrites: (io.writes - ioBefore.writes) / ok,
  }
}

const podmeshRead = (c: number): LoadRequest => ({ method: 'GET', path: `/v1/configmaps/bench-${c % 64}-0` })
const etcdWrite = (c: number, i: number): LoadRequest => ({
  method: 'POST',
  path: '/v3/kv/put',
  body: `{"key":"${b64(`bench-${c}-${i % 16}`)}","value":"${b64(benchValue(i))}"}`,
})
// Linearizable, as etcd's range is by default.
const etcdRead = (c: number): LoadRequest => ({ method: 'POST', path: '/v3/kv/range', body: `{"key":"${b64(`bench-${c % 64}-0`)}"}` })

type Results = Record<LoadName, Figures[]>

/** `warm`: run each load unmeasured first (the first run). */
async function runLoads(target: Target, results: Results, warm: boolean): Promise<void> {
  if (only.has('w64')) results.w64.push(await measure(target, 64, target.write, warm))
  if (only.has('w1')) results.w1.push(await measure(target, 1, target.write, warm))
  if (only.has('r64')) results.r64.push(await measure(target, 64, target.read, warm))
}

function progress(what: string, run: number, results: Results): void {
  const last = (k: LoadName) => results[k].at(-1)
  process.stderr.write(`${what} run ${run + 1}/${runs}: writes@64 ${last('w64')?.rate.toFixed(0) ?? '-'}/s (leader ${perOp(last('w64'))}), writes@1 p50 ${last('w1')?.p50.toFixed(2) ?? '-'} ms (leader ${perOp(last('w1'))}), reads@64 ${last('r64')?.rate.toFixed(0) ?? '-'}/s\n`)
}

const medianOf = (results: Results, k: LoadName, f: keyof Figures): number => median(results[k].map((x) => x[f]))
const failedIn = (results: Results, k: LoadName): number => results[k].reduce((s, x) => s + x.failed, 0)

/** `reference`: a column of figures to compare with (its header and each load's figure). */
function table(results: Results, reference?: { header: string; figure: (k: LoadName) => string }): void {
  const m = (k: LoadName, f: keyof Figures) => medianOf(results, k, f)
  printTable(
    ['load', 'measured', 'p50 ms', 'p99 ms', 'leader CPU ms/op', 'fleet CPU ms/op', 'leader syscalls r+w/op', 'goal', ...(reference ? [reference.header] : []), 'failed'],
    (
      [
        ['ConfigMap writes, 64 clients', 'w64', '>= 5,000/s'],
        ['ConfigMap writes, 1 client', 'w1', 'p50 <= 1.2 ms'],
        ['linearizable reads, 64 clients', 'r64', '>= 10,000/s'],
      ] as const
    ).filter(([, k]) => only.has(k)).map(([label, k, goal]) => [
      label,
      `${m(k, 'rate').toFixed(0)}/s`,
      m(k, 'p50').toFixed(2),
      m(k, 'p99').toFixed(2),
      m(k, 'leaderCpu').toFixed(3),
      m(k, 'fleetCpu').toFixed(3),
      `${m(k, 'leaderReads').toFixed(1)}+${m(k, 'leaderWrites').toFixed(1)}`,
      goal,
      ...(reference ? [reference.figure(k)] : []),
      failedIn(results, k),
    ]),
  )
}

/** The issue's etcd figures, measured on a quiet day; --etcd measures them in the same run instead. */
const ISSUE_ETCD: Record<LoadName, string> = { w64: '~4,600/s', w1: '1.1 ms', r64: '' }

function etcdColumn(etcd: Results | undefined): { header: string; figure: (k: LoadName) => string } {
  if (!etcd) return { header: 'etcd 3.4 here', figure: (k) => ISSUE_ETCD[k] }
  return { header: 'etcd 3.4, this run', figure: (k) => (k === 'w1' ? `${medianOf(etcd, k, 'p50').toFixed(2)} ms` : `${medianOf(etcd, k, 'rate').toFixed(0)}/s`) }
}

function perOp(f: Figures | undefined): string {
  return f ? `${f.leaderCpu.toFixed(3)} ms CPU, ${f.leaderReads.toFixed(1)} reads + ${f.leaderWrites.toFixed(1)} writes per op` : '-'
}

async function main(): Promise<void> {
  const fleet = await Fleet.create('podmesh-bench-api-')
  let etcdCluster: EtcdCluster | undefined
  try {
    const agents = await formFleet(fleet)
    const leader = await eventually('a leader', () => leaderOf(agents))
    const podmesh: Target = { host: leader.host, port: leader.apiPort, pids: agents.map((a) => a.child!.pid!), leaderPid: leader.child!.pid!, write: configMapPut, read: podmeshRead }
    etcdCluster = withEtcd ? await startEtcd() : undefined
    const etcd: Target | undefined = etcdCluster && { host: '127.0.0.1', port: etcdCluster.leaderPort, pids: etcdCluster.pids, leaderPid: etcdCluster.leaderPid, write: etcdWrite, read: etcdRead }
    const ours: Results = { w64: [], w1: [], r64: [] }
    const theirs: Results = { w64: [], w1: [], r64: [] }
    for (let run = 0; run < runs; run++) {
      await runLoads(podmesh, ours, run === 0)
      progress('podmesh', run, ours)
      if (etcd) {
        await runLoads(etcd, theirs, run === 0)
        progress('etcd', run, theirs)
      }
    }
    const m = (k: LoadName, f: keyof Figures) => medianOf(ours, k, f)
    const figures: Record<string, number> = { writesPerSec64: Math.round(m('w64', 'rate')), writeP50Ms1: Number(m('w1', 'p50').toFixed(3)), readsPerSec64: Math.round(m('r64', 'rate')), failed: failedIn(ours, 'w64') + failedIn(ours, 'w1') + failedIn(ours, 'r64') }
    if (etcd) Object.assign(figures, { etcdWritesPerSec64: Math.round(medianOf(theirs, 'w64', 'rate')), etcdWriteP50Ms1: Number(medianOf(theirs, 'w1', 'p50').toFixed(3)), etcdReadsPerSec64: Math.round(medianOf(theirs, 'r64', 'rate')) })
    if (emitFigures('api', figures)) return
    console.log(`\nAPI through the leader, 3 agents on 127.0.0.1 with fsync; median of ${runs} runs of ${seconds} s\n`)
    table(ours, etcdColumn(etcd && theirs))
    if (etcd) {
      console.log(`\netcd 3.4, 3 members on 127.0.0.1 (its defaults, fsync on), the same loads through its JSON gateway (PUT = /v3/kv/put, GET = /v3/kv/range), same runs\n`)
      table(theirs)
    }
  } finally {
    if (process.env.PODMESH_CPU_PROF_DIR) {
      for (const a of fleet.agents) a.child?.kill('SIGUSR2')
      await new Promise((r) => setTimeout(r, 2_000))
    }
    await etcdCluster?.stop()
    await fleet.destroy()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
