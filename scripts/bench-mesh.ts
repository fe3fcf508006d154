// The mesh benchmark (issue: agent mesh): three real agent processes on 127.0.0.1 with fsync.
// - failover: kill -9 of the leader until the next write commits, over --trials (default 10);
// - replicated commits/s over the mesh: a client process holding the join token sends proposals to the
//   leader's agent over libp2p, as a follower forwarding writes does, at 1 and 64 concurrent proposers;
// - the same writes through the leader's HTTP API, for comparison (the API's own goals are in bench-api);
// - an idle agent's resident memory.
// Each throughput row also shows the CPU time per commit of the leader's agent and of all three: on a shared
// 2-core machine these move less with noise than the rates do.
// Usage: npm run bench:mesh -- --help
import { generateKeyPair } from '@libp2p/crypto/keys'
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import { createMesh, type Mesh } from '../src/net/index.js'
import { encode } from '../src/raft/codec.js'
import type { ForwardReply } from '../src/agent/proposer.js'
import { eventually, Fleet, runAgentCli, type AgentProcess } from '../src/fleet/local-fleet.js'
import { cpuMs, formFleet, leaderOf } from './lib/fleet.js'
import { runLoad } from './lib/http-load.js'
import { median, percentile, printTable } from './lib/stats.js'
import { JSON_FLAG, scriptFlags } from './lib/script-flags.js'
import { emitFigures } from './lib/bench-json.js'

const flags = scriptFlags('bench:mesh', 'Failover, replicated commits over the mesh and an idle agent\'s memory, on 3 agents with fsync.', {
  trials: { type: 'count', default: 10, help: 'leader kills the failover figure is the median of' },
  runs: { type: 'count', default: 3, help: 'runs each throughput figure is the median of' },
  seconds: { type: 'number', default: 5, help: 'length of each throughput run' },
  skip: { type: 'list', choices: ['api', 'failover', '1'], default: [], help: 'parts left out: the HTTP rows, the failover trials, the single-proposer rows' },
  ...JSON_FLAG,
})
const { trials, runs, seconds } = flags
const skip = new Set(flags.skip)

interface Rate {
  readonly rate: number
  readonly p50: number
  readonly p99: number
  /** CPU ms per commit: the leader's agent, the three agents together, and this process (the load). */
  readonly leaderCpu: number
  readonly fleetCpu: number
  readonly clientCpu: number
  /** The leader's read and write system calls per commit (/proc/PID/io): not inflated by a busy machine. */
  readonly leaderSyscalls: number
}


/** syscr + syscw of a process (Linux). */
function syscalls(a: AgentProcess): number {
  const io = readFileSync(`/proc/${a.child!.pid}/io`, 'utf8')
  return Number(/syscr: (\d+)/.exec(io)![1]) + Number(/syscw: (\d+)/.exec(io)![1])
}

/** Runs a load and charges the agents' CPU to its commits. */
async function withCpu(agents: readonly AgentProcess[], leader: AgentProcess, load: () => Promise<{ rate: number; p50: number; p99: number; ok: number }>): Promise<Rate> {
  const before = agents.map(cpuMs)
  const callsBefore = syscalls(leader)
  const self = process.cpuUsage()
  const r = await load()
  const used = agents.map((a, i) => cpuMs(a) - before[i]!)
  const client = process.cpuUsage(self)
  const calls = syscalls(leader) - callsBefore
  const ok = Math.max(1, r.ok)
  return {
    rate: r.rate,
    p50: r.p50,
    p99: r.p99,
    leaderCpu: used[agents.indexOf(leader)]! / ok,
    fleetCpu: used.reduce((x, y) => x + y, 0) / ok,
    clientCpu: (client.user + client.system) / 1000 / ok,
    leaderSyscalls: calls / ok,
  }
}

function row(label: string, results: readonly Rate[]): string[] {
  const m = (f: (x: Rate) => number, digits: number): string => median(results.map(f)).toFixed(digits)
  return [label, m((x) => x.rate, 0) + '/s', m((x) => x.p50, 2) + ' ms', m((x) => x.p99, 2) + ' ms', m((x) => x.leaderCpu, 3) + ' ms', m((x) => x.fleetCpu, 3) + ' ms', m((x) => x.clientCpu, 3) + ' ms', m((x) => x.leaderSyscalls, 2)]
}

async function put(a: AgentProcess, name: string, value: string, timeoutMs = 5_000): Promise<number> {
  try {
    const res = await fetch(`${a.server}/v1/configmaps/${name}`, { method: 'PUT', body: JSON.stringify({ data: { value } }), signal: AbortSignal.timeout(timeoutMs) })
    await res.arrayBuffer()
    return res.status
  } catch {
    return 0
  }
}



async function measureFailover(agents: AgentProcess[]): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < trials; i++) {
    const leader = await eventually('a leader', () => leaderOf(agents))
    const rest = agents.filter((a) => a !== leader)
    const killedAt = performance.now()
    leader.kill9()
    let n = 0
    while ((await put(rest[n++ % rest.length]!, `failover-${i}`, String(n), 2_000)) >= 300 || n === 0) await new Promise((r) => setTimeout(r, 10))
    const ms = performance.now() - killedAt
    times.push(ms)
    process.stderr.write(`failover trial ${i + 1}/${trials}: ${ms.toFixed(0)} ms\n`)
    await leader.waitForExit()
    leader.start('start')
    await eventually('the restarted node caught up', async () => {
      const s = await leader.status()
      return s && s.leader && s.members.every((m) => m.lag === 0)
    }, 60_000)
  }
  return times
}

async function measureThroughput(leader: AgentProcess, writers: number): Promise<{ rate: number; p50: number; p99: number; ok: number }> {
  const r = await runLoad({
    host: leader.host,
    port: leader.apiPort,
    clients: writers,
    seconds,
    next: (c, i) => ({ method: 'PUT', path: `/v1/configmaps/w${c}-${i % 16}`, body: JSON.stringify({ data: { value: String(i) } }) }),
  })
  return { rate: r.ok / r.seconds, p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), ok: r.ok }
}

/** A mesh client holding the join token, connected to the leader's agent. */
async function meshClient(leader: AgentProcess, token: string): Promise<{ mesh: Mesh; peer: string }> {
  const mesh = createMesh({ privateKey: await generateKeyPair('Ed25519'), token, listen: '/ip4/127.0.0.1/tcp/0' })
  await mesh.start()
  const { peerId } = await mesh.connect(`/ip4/${leader.host}/tcp/${leader.meshPort}`)
  return { mesh, peer: peerId }
}

async function measureMeshCommits(client: { mesh: Mesh; peer: string }, proposers: number): Promise<{ rate: number; p50: number; p99: number; ok: number }> {
  const latencies: number[] = []
  const end = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: proposers }, async (_, p) => {
      for (let i = 0; performance.now() < end; i++) {
        const data = encode({ type: 'write', time: new Date().toISOString(), ops: [{ op: 'put', kind: 'ConfigMap', namespace: 'default', name: `m${p}-${i % 16}`, uid: randomUUID(), object: { data: { value: 'x'.repeat(64) } } }] })
        const t0 = performance.now()
        const reply = (await client.mesh.call(client.peer, 'propose', { data }, { timeoutMs: 10_000 })) as ForwardReply
        if (reply.ok) latencies.push(performance.now() - t0)
      }
    }),
  )
  latencies.sort((a, b) => a - b)
  return { rate: latencies.length / ((performance.now() - started) / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), ok: latencies.length }
}

async function rssMb(a: AgentProcess): Promise<number> {
  const status = await readFile(`/proc/${a.child!.pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024
}

async function main(): Promise<void> {
  const fleet = await Fleet.create('podmesh-bench-mesh-')
  const stop = () => void fleet.destroy().then(() => process.exit(130))
  process.once('SIGINT', stop)
  try {
    const agents = await formFleet(fleet)
    await new Promise((r) => setTimeout(r, 10_000))
    const idle = median(await Promise.all(agents.map(rssMb)))

    const rows: (string | number)[][] = []
    const figures: Record<string, number> = { idleRssMb: Number(idle.toFixed(1)) }
    const token = (await runAgentCli(['token', '--data-dir', agents[0]!.dataDir])).stdout.trim()
    const counts = skip.has('1') ? [64] : [1, 64]
    for (const proposers of counts) {
      const results: Rate[] = []
      for (let r = 0; r < runs; r++) {
        const leader = await eventually('a leader', () => leaderOf(agents))
        const client = await meshClient(leader, token)
        process.stderr.write(`mesh commits, ${proposers} proposer(s), run ${r + 1}/${runs}: leader pid ${leader.child!.pid}\n`)
        results.push(await withCpu(agents, leader, () => measureMeshCommits(client, proposers)))
        await client.mesh.stop()
      }
      rows.push(row(`replicated commits over the mesh, ${proposers} proposer(s)`, results))
      figures[`meshCommitsPerSec${proposers}`] = Math.round(median(results.map((x) => x.rate)))
    }
    for (const writers of skip.has('api') ? [] : counts) {
      const results: Rate[] = []
      for (let r = 0; r < runs; r++) {
        const leader = await eventually('a leader', () => leaderOf(agents))
        results.push(await withCpu(agents, leader, () => measureThroughput(leader, writers)))
      }
      rows.push(row(`writes via the leader's API, ${writers} writer(s)`, results))
    }
    const failover = skip.has('failover') ? [NaN] : await measureFailover(agents)
    if (!skip.has('failover')) figures.failoverMs = Math.round(median(failover))
    if (emitFigures('mesh', figures)) return
    console.log(`\nbench-mesh: 3 agents on 127.0.0.1, fsync on, ${runs} runs of ${seconds}s, ${trials} failover trials (medians)\n`)
    printTable(['measure', 'rate', 'p50', 'p99', 'leader CPU/op', 'fleet CPU/op', 'client CPU/op', 'leader syscalls/op'], rows)
    console.log('')
    printTable(
      ['measure', 'median', 'goal'],
      [
        ['leader failover: kill -9 until the next write commits', `${median(failover).toFixed(0)} ms (min ${Math.min(...failover).toFixed(0)}, max ${Math.max(...failover).toFixed(0)})`, '≤ 1000 ms (etcd 3.4 defaults: ~1500 ms)'],
        ['idle agent resident memory', `${idle.toFixed(1)} MB`, '≤ 80 MB'],
      ],
    )
  } finally {
    await fleet.destroy()
  }
}

await main()
