// Real agents running pods (Docker or processes) for the runtime's fleet tests and bench-runtime: a
// fleet formed through its first agent, the API read as JSON, and processes found through /proc.
import { readFile, readdir } from 'node:fs/promises'
import { eventually, Fleet, runAgentCli, type AgentProcess } from '../../src/fleet/local-fleet.js'

export { eventually }

export type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** Agents named m1..mN with this runtime; m1 starts the cluster. All voters and Ready on return. */
export async function runtimeFleet (size: number, runtime: string, env: Readonly<Record<string, string>> = {}): Promise<{ fleet: Fleet, agents: AgentProcess[] }> {
  const fleet = await Fleet.create('podmesh-rt-')
  try {
    const first = await fleet.add({ name: 'm1', runtime, env })
    first.start()
    await eventually('m1 leads', async () => (await first.status())?.node.raftRole === 'leader')
    const token = (await runAgentCli(['token', '--data-dir', first.dataDir])).stdout.trim()
    const agents = [first]
    for (let i = 2; i <= size; i++) {
      const a = await fleet.add({ name: `m${i}`, runtime, env, join: { peer: first.meshAddress, token } })
      a.start()
      agents.push(a)
    }
    await eventually(`${size} Ready nodes`, async () => (await readyNodes(first)) === size, 60_000)
    await eventually(`${Math.min(size, 3)} voters`, async () => (await first.status())?.members.filter(m => m.role === 'voter').length === Math.min(size, 3), 60_000)
    return { fleet, agents }
  } catch (err) {
    console.error(fleet.logs())
    await fleet.destroy()
    throw err
  }
}

async function readyNodes (a: AgentProcess): Promise<number> {
  const list = await getJson(a, '/v1/nodes?stale=true')
  return ((list?.items ?? []) as Json[]).filter(n => isTrue(n, 'Ready')).length
}

/** GET as JSON; undefined when the agent does not answer or answers an error. */
export async function getJson (a: AgentProcess, path: string): Promise<Json | undefined> {
  try {
    const res = await fetch(a.server + path, { signal: AbortSignal.timeout(5_000) })
    return res.ok ? (await res.json()) as Json : undefined
  } catch {
    return undefined
  }
}

export async function applyJson (a: AgentProcess, objects: readonly object[]): Promise<void> {
  const res = await fetch(`${a.server}/v1/apply`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(objects), signal: AbortSignal.timeout(15_000) })
  if (!res.ok) throw new Error(`apply failed: ${res.status} ${await res.text()}`)
}

export async function podsOf (a: AgentProcess, selector: string): Promise<Json[] | undefined> {
  return (await getJson(a, `/v1/pods?labelSelector=${encodeURIComponent(selector)}`))?.items as Json[] | undefined
}

/** Whether an object's status has condition `type` True. */
export function isTrue (o: Json, type: string): boolean {
  return ((o.status?.conditions ?? []) as Json[]).some(c => c.type === type && c.status === 'True')
}

/** The pids of the live processes whose argv is exactly this. */
export async function processesRunning (argv: readonly string[]): Promise<number[]> {
  const want = argv.join('\0') + '\0'
  const out: number[] = []
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '')
    if (cmdline === want) out.push(Number(name))
  }
  return out
}
