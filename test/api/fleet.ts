// Helpers for the API tests against real agent processes.
import { eventually, Fleet, runAgentCli, type AgentProcess } from '../../src/fleet/local-fleet.js'

export interface Formed {
  readonly fleet: Fleet
  readonly agents: AgentProcess[]
}

/** Three voters: a starts, b and c join through it. */
export async function formThree(extraArgs: readonly string[] = []): Promise<Formed> {
  const fleet = await Fleet.create('podmesh-api-')
  const a = await fleet.add({ name: 'a', extraArgs })
  a.start()
  await eventually('a leads', async () => (await a.status())?.node.raftRole === 'leader')
  const token = (await runAgentCli(['token', '--data-dir', a.dataDir])).stdout.trim()
  const agents = [a]
  for (const name of ['b', 'c']) {
    const x = await fleet.add({ name, join: { peer: a.meshAddress, token }, extraArgs })
    x.start()
    agents.push(x)
  }
  await eventually('3 voters', async () => (await a.status())?.members.filter((m) => m.role === 'voter').length === 3, 60_000)
  return { fleet, agents }
}

export async function leaderOf(agents: readonly AgentProcess[]): Promise<AgentProcess | undefined> {
  for (const a of agents) if ((await a.status())?.node.raftRole === 'leader') return a
  return undefined
}

export async function followers(agents: readonly AgentProcess[]): Promise<AgentProcess[]> {
  const out: AgentProcess[] = []
  for (const a of agents) if ((await a.status())?.node.raftRole === 'follower') out.push(a)
  return out
}

export interface Reply<T = Record<string, unknown>> {
  readonly status: number
  readonly body: T
}

/** One HTTP call; a network failure is status 0 with the error's name. */
export async function call<T = Record<string, unknown>>(a: AgentProcess | string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<Reply<T>> {
  const base = typeof a === 'string' ? a : a.server
  try {
    const res = await fetch(base + path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    })
    const text = await res.text()
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T }
  } catch (err) {
    return { status: 0, body: { error: (err as Error).name } as T }
  }
}

export { eventually, Fleet, runAgentCli, type AgentProcess }
