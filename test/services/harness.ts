// A fleet of three real agents running pods on the real Docker engine, each on its own loopback address
// (127.0.0.21-23) with its routing mesh published there and its DNS responder on a free port; and a load
// client that makes a new connection per request through the mesh and counts every failure.
import { request as httpRequest } from 'node:http'
import type Docker from 'dockerode'
import { eventually, Fleet, freePort, runAgentCli, type AgentProcess } from '../../src/fleet/local-fleet.js'
import { cleanNode } from '../runtime/docker-env.js'

export type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

export interface DockerFleet {
  readonly fleet: Fleet
  readonly agents: readonly AgentProcess[]
  readonly dnsPorts: readonly number[]
  destroy(): Promise<void>
}

export async function getJson(a: AgentProcess, path: string): Promise<Json | undefined> {
  try {
    const res = await fetch(a.server + path, { signal: AbortSignal.timeout(3_000) })
    return res.ok ? ((await res.json()) as Json) : undefined
  } catch {
    return undefined
  }
}

export async function applyYaml(a: AgentProcess, yaml: string): Promise<void> {
  const res = await fetch(`${a.server}/v1/apply`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: yaml, signal: AbortSignal.timeout(15_000) })
  if (!res.ok) throw new Error(`apply failed: ${res.status} ${await res.text()}`)
}

export async function dockerFleet(docker: Docker): Promise<DockerFleet> {
  const fleet = await Fleet.create('podmesh-svc-')
  const dnsPorts: number[] = []
  const ids: string[] = []
  const add = async (i: number, join?: { peer: string; token: string }) => {
    const host = `127.0.0.2${i}`
    const dns = await freePort(host)
    dnsPorts.push(dns)
    const extraArgs = ['--publish-address', host, '--dns-address', `${host}:${dns}`, '--cpu', '4', '--memory', '8Gi']
    return fleet.add({ name: `svc-${i}`, host, runtime: 'docker', extraArgs, ...(join ? { join } : {}) })
  }
  const destroy = async () => {
    for (const x of fleet.agents) {
      const id = (await x.status())?.node.id
      if (id) ids.push(id)
    }
    await fleet.destroy()
    for (const id of ids) await cleanNode(docker, id)
  }
  try {
    const a = await add(1)
    a.start()
    await eventually('the first agent leads', async () => (await a.status())?.node.raftRole === 'leader', 30_000)
    const token = (await runAgentCli(['token', '--data-dir', a.dataDir])).stdout.trim()
    for (const i of [2, 3]) (await add(i, { peer: a.meshAddress, token })).start()
    await eventually('3 Ready nodes', async () => {
      const nodes = await getJson(a, '/v1/nodes?stale=true')
      return (nodes?.items ?? []).filter((n: Json) => (n.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True')).length === 3
    }, 60_000)
  } catch (err) {
    console.error(fleet.logs())
    await destroy()
    throw err
  }
  return { fleet, agents: fleet.agents, dnsPorts, destroy }
}

/** The error of a GET whose answer had begun (status line received) when its connection broke. */
export const ANSWER_CUT = 'answer cut off'

/** GET through a new connection (no keep-alive); the body, or the error's code. */
export function getOnce(host: string, port: number, path = '/', timeoutMs = 5_000): Promise<{ ok: true; body: string } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const req = httpRequest({ host, port, path, agent: false, headers: { connection: 'close' }, timeout: timeoutMs }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve(res.statusCode === 200 ? { ok: true, body: body.trim() } : { ok: false, error: `HTTP ${res.statusCode}` }))
      res.on('error', (err) => resolve({ ok: false, error: `${ANSWER_CUT} (${err.message})` }))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, error: err.code ?? err.message }))
    req.end()
  })
}

/** A request of the load client that failed: why, and when it began (performance.now()). */
export interface LoadFailure {
  readonly error: string
  readonly startedAt: number
}

/** Requests in a loop, one at a time, each on a new connection, until stopped: what answered and every failure. */
export class LoadClient {
  readonly answeredBy = new Map<string, number>()
  readonly failures: LoadFailure[] = []
  private running = true
  private readonly done: Promise<void>

  constructor(host: string, port: number) {
    this.done = (async () => {
      while (this.running) {
        const startedAt = performance.now()
        const r = await getOnce(host, port)
        if (r.ok) this.answeredBy.set(r.body, (this.answeredBy.get(r.body) ?? 0) + 1)
        else this.failures.push({ error: r.error, startedAt })
      }
    })()
  }

  get total(): number {
    return [...this.answeredBy.values()].reduce((a, b) => a + b, 0) + this.failures.length
  }

  async stop(): Promise<void> {
    this.running = false
    await this.done
  }
}
