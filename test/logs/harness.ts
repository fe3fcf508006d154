// Real agents for the logs tests: a forms the cluster, the others join through it; pods are pinned to a
// node by spec.nodeName so that a test knows which agent runs them and which only relays.
import { spawn } from 'node:child_process'
import { agentArgv } from '../../src/agent/entry.js'
import { eventually, Fleet, runAgentCli, type AgentProcess } from '../../src/fleet/local-fleet.js'

export { eventually, runAgentCli }

/** Agents named and given a runtime in order; the first starts the cluster. All are voters on return. */
export async function formFleet(nodes: readonly { name: string; runtime: string }[]): Promise<{ fleet: Fleet; agents: AgentProcess[] }> {
  const fleet = await Fleet.create('podmesh-logs-')
  try {
    const [first, ...rest] = nodes
    const a = await fleet.add(first!)
    a.start()
    await eventually('the first agent leads', async () => (await a.status())?.node.raftRole === 'leader')
    const token = (await runAgentCli(['token', '--data-dir', a.dataDir])).stdout.trim()
    const agents = [a]
    for (const n of rest) {
      const x = await fleet.add({ ...n, join: { peer: a.meshAddress, token } })
      x.start()
      agents.push(x)
    }
    await eventually(`${nodes.length} Ready nodes`, async () => (await readyNodes(a)) === nodes.length, 60_000)
    return { fleet, agents }
  } catch (err) {
    console.error(fleet.logs())
    await fleet.destroy()
    throw err
  }
}

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

async function readyNodes(a: AgentProcess): Promise<number> {
  const list = (await get(a, '/v1/nodes?stale=true')).body
  return ((list.items ?? []) as Json[]).filter((n) => (n.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True')).length
}

export async function get(a: AgentProcess, path: string): Promise<{ status: number; body: Json; text: string }> {
  try {
    const res = await fetch(a.server + path, { signal: AbortSignal.timeout(20_000) })
    const text = await res.text()
    let body: Json = {}
    try {
      body = JSON.parse(text) as Json
    } catch {
      body = {}
    }
    return { status: res.status, body, text }
  } catch (err) {
    return { status: 0, body: { error: (err as Error).name }, text: '' }
  }
}

export async function applyJson(a: AgentProcess, objects: readonly object[]): Promise<void> {
  const res = await fetch(`${a.server}/v1/apply`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(objects), signal: AbortSignal.timeout(15_000) })
  if (!res.ok) throw new Error(`apply failed: ${res.status} ${await res.text()}`)
}

/** A Pod bound to `node`, its containers as name → command. */
export function pinnedPod(name: string, node: string, containers: Record<string, readonly string[]>, env: Record<string, string> = {}, image = 'podmesh-test/busybox:1'): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      nodeName: node,
      terminationGracePeriodSeconds: 1,
      containers: Object.entries(containers).map(([c, command]) => ({ name: c, image, command, env: Object.entries(env).map(([k, v]) => ({ name: k, value: v })) })),
    },
  }
}

/** Every container of the pod is running (as the stored status says). */
export async function running(a: AgentProcess, pod: string): Promise<boolean> {
  const p = (await get(a, `/v1/pods/${pod}`)).body
  const cs = (p.status?.containerStatuses ?? []) as Json[]
  return p.status?.phase === 'Running' && cs.length > 0 && cs.every((c) => c.state?.running !== undefined)
}

/** `agent logs` kept running (-f): its output so far, and a way to end it like Ctrl-C. */
export function follow(args: readonly string[]): { out: () => string; interrupt: () => Promise<number | null> } {
  const child = spawn(process.execPath, agentArgv(['logs', ...args]), { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return {
    out: () => out,
    interrupt: async () => {
      child.kill('SIGINT')
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000)
      const code = await exited
      clearTimeout(t)
      return code
    },
  }
}
