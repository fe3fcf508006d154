// What the benchmarks share about a fleet of real agents: forming one, finding its leader, CPU use.
import { readFileSync } from 'node:fs'
import { eventually, runAgentCli, type AgentProcess, type Fleet } from '../../src/fleet/local-fleet.js'

export async function leaderOf(agents: readonly AgentProcess[]): Promise<AgentProcess | undefined> {
  for (const a of agents) if ((await a.status())?.node.raftRole === 'leader') return a
  return undefined
}

/** Three agents m1..m3, all voters: m1 starts the cluster, the others join through it. */
export async function formFleet(fleet: Fleet): Promise<AgentProcess[]> {
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

/** utime + stime of an agent process, in ms (Linux). */
export function cpuMs(a: AgentProcess): number {
  return processCpuMs(a.child!.pid!)
}

/** utime + stime of a process, in ms (Linux). */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
}
