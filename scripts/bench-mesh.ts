// The mesh benchmark (issue: agent mesh): three real agent processes on 127.0.0.1 with fsync.
// - failover: kill -9 of the leader until the next write commits, over --trials (default 10);
// - replicated commits/s through the API at 1 and 64 concurrent writers, over --runs (default 3);
// - an idle agent's resident memory.
// Usage: npm run bench:mesh -- [--trials 10] [--runs 3] [--seconds 5]
import { readFile } from 'node:fs/promises'
import { eventually, Fleet, runAgentCli, type AgentProcess } from '../src/fleet/local-fleet.js'
import { runLoad } from './lib/http-load.js'
import { argValue, median, percentile, printTable } from './lib/stats.js'

const trials = argValue('--trials', 10)
const runs = argValue('--runs', 3)
const seconds = argValue('--seconds', 5)

async function put(a: AgentProcess, name: string, value: string, timeoutMs = 5_000): Promise<number> {
  try {
    const res = await fetch(`${a.server}/v1/configmaps/${name}`, { method: 'PUT', body: JSON.stringify({ data: { value } }), signal: AbortSignal.timeout(timeoutMs) })
    await res.arrayBuffer()
    return res.status
  } catch {
    return 0
  }
}

async function leaderOf(agents: AgentProcess[]): Promise<AgentProcess | undefined> {
  for (const a of agents) if ((await a.status())?.node.raftRole === 'leader') return a
  return undefined
}

async function formFleet(fleet: Fleet): Promise<AgentProcess[]> {
  const first = await fleet.add({ name: 'm1' })
  first.start()
  await eventually('m1 leads', async () => (await first.status())?.node.raftRole === 'leader')
  const token = (await runAgentCli(['token', '--data-dir', first.dataDir])).stdout.trim()
  const agents = [first]
  for (const name of ['m2', 'm3']) {
    const a = await fleet.add({ name, join: { peer: first.meshAddress, token } })
    a.start()
    agents.push(a)
  }
  await eventually('3 voters', async () => (await first.status())?.members.filter((m) => m.role === 'voter').length === 3, 60_000)
  return agents
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

async function measureThroughput(leader: AgentProcess, writers: number): Promise<{ rate: number; p50: number; p99: number }> {
  const r = await runLoad({
    host: leader.host,
    port: leader.apiPort,
    clients: writers,
    seconds,
    next: (c, i) => ({ method: 'PUT', path: `/v1/configmaps/w${c}-${i % 16}`, body: JSON.stringify({ data: { value: String(i) } }) }),
  })
  return { rate: r.ok / r.seconds, p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99) }
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
    for (const writers of [1, 64]) {
      const results = []
      for (let r = 0; r < runs; r++) {
        const leader = await eventually('a leader', () => leaderOf(agents))
        results.push(await measureThroughput(leader, writers))
      }
      rows.push([`writes via the leader's API, ${writers} writer(s)`, median(results.map((x) => x.rate)).toFixed(0) + '/s', median(results.map((x) => x.p50)).toFixed(2) + ' ms', median(results.map((x) => x.p99)).toFixed(2) + ' ms'])
    }
    const failover = await measureFailover(agents)
    console.log(`\nbench-mesh: 3 agents on 127.0.0.1, fsync on, ${runs} runs of ${seconds}s, ${trials} failover trials (medians)\n`)
    printTable(['measure', 'rate', 'p50', 'p99'], rows)
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
