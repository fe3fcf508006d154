// Real agent processes for the orchestration tests and the failover benchmark: the agent compiled
// beside this file (src/agent/main.js), each with its own data dir and ports, and `--runtime fake`.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { agentArgv } from '../../src/agent/entry.js'
import { eventually, freePort } from '../../src/fleet/local-fleet.js'


export { eventually }

export class Agent {
  child: ChildProcess | undefined
  output = ''

  constructor(
    readonly name: string,
    readonly dataDir: string,
    readonly meshPort: number,
    readonly apiPort: number,
    private readonly extra: readonly string[],
  ) {}

  get server(): string {
    return `http://127.0.0.1:${this.apiPort}`
  }
  get mesh(): string {
    return `127.0.0.1:${this.meshPort}`
  }
  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
  }

  start(join?: { peer: string; token: string }): void {
    const common = ['--data-dir', this.dataDir, '--listen', this.mesh, '--api', `127.0.0.1:${this.apiPort}`, '--name', this.name, '--log-format', 'json', ...this.extra]
    const args = join ? ['join', join.peer, '--token', join.token, ...common] : ['start', ...common]
    const child = spawn(process.execPath, agentArgv(args), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PODMESH_FAKE_START_MS: '100' } })
    child.stdout!.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-200_000)))
    child.stderr!.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-200_000)))
    this.child = child
  }

  async kill9(): Promise<void> {
    const c = this.child
    if (!c || !this.alive) return
    const exited = new Promise((r) => c.once('exit', r))
    c.kill('SIGKILL')
    await exited
  }

  async stop(): Promise<void> {
    const c = this.child
    if (!c || !this.alive) return
    const exited = new Promise((r) => c.once('exit', r))
    c.kill('SIGTERM')
    setTimeout(() => c.kill('SIGKILL'), 5_000).unref()
    await exited
  }

  async get<T = Json>(path: string): Promise<T | undefined> {
    try {
      const res = await fetch(this.server + path, { signal: AbortSignal.timeout(3_000) })
      return res.ok ? ((await res.json()) as T) : undefined
    } catch {
      return undefined
    }
  }

  /** Runs a client command against this agent (without --server for the local ones, like `token`). */
  cli(args: readonly string[], local = false): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, agentArgv([...args, ...(local ? [] : ['--server', this.server])]), { stdio: ['pipe', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }))
      child.stdin.end()
    })
  }
}

export type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Cluster {
  readonly agents: Agent[]
  readonly root: string
  destroy(): Promise<void>
  logs(): string
}

/** Three agents with the fake runtime and fixed capacity (2 CPUs, 4 GiB), all Ready. */
export async function threeAgents(extra: readonly string[] = []): Promise<Cluster> {
  const root = await mkdtemp(join(tmpdir(), 'podmesh-orch-'))
  const args = ['--runtime', 'fake', '--cpu', '2', '--memory', '4Gi', ...extra]
  const agents: Agent[] = []
  for (const name of ['a', 'b', 'c']) agents.push(new Agent(name, join(root, name), await freePort(), await freePort(), args))
  const cluster: Cluster = {
    agents,
    root,
    destroy: async () => {
      await Promise.all(agents.map((a) => a.stop()))
      await rm(root, { recursive: true, force: true })
    },
    logs: () => agents.map((a) => `----- ${a.name} -----\n${a.output.slice(-8000)}`).join('\n'),
  }
  const [a, b, c] = agents as [Agent, Agent, Agent]
  try {
    a.start()
    await eventually('a leads', async () => (await a.get('/v1/status'))?.node?.raftRole === 'leader', 30_000)
    const token = (await a.cli(['token', '--data-dir', a.dataDir], true)).stdout.trim()
    b.start({ peer: a.mesh, token })
    c.start({ peer: a.mesh, token })
    await eventually('3 Ready nodes', async () => (await readyNodes(a)).length === 3, 60_000)
    // Losing an agent must not lose quorum: wait until the joiners are voters, not learners.
    await eventually('3 voters', async () => ((await a.get('/v1/status'))?.members ?? []).filter((m: Json) => m.role === 'voter').length === 3, 60_000)
  } catch (err) {
    console.error(cluster.logs())
    await cluster.destroy()
    throw err
  }
  return cluster
}

export async function readyNodes(a: Agent): Promise<string[]> {
  const list = await a.get('/v1/nodes?stale=true')
  return (list?.items ?? []).filter((n: Json) => (n.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True')).map((n: Json) => n.metadata.name as string)
}

export async function pods(a: Agent, selector?: string): Promise<Json[] | undefined> {
  const list = await a.get(`/v1/pods${selector ? `?labelSelector=${encodeURIComponent(selector)}` : ''}`)
  return list?.items
}

/** Pods per node among those Running and Ready. */
export function runningPerNode(items: readonly Json[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const p of items) {
    if (p.status?.phase !== 'Running' || !(p.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True')) continue
    out[p.spec.nodeName] = (out[p.spec.nodeName] ?? 0) + 1
  }
  return out
}

export async function apply(a: Agent, yaml: string): Promise<number> {
  const res = await fetch(`${a.server}/v1/apply`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: yaml, signal: AbortSignal.timeout(15_000) })
  return res.status
}

export function deployment(name: string, replicas: number, extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}${extra}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: main, image: nginx, resources: {requests: {cpu: 100m, memory: 64Mi}}}]
`
}

export async function leaderOf(agents: readonly Agent[]): Promise<Agent | undefined> {
  for (const a of agents) if (a.alive && (await a.get('/v1/status'))?.node?.raftRole === 'leader') return a
  return undefined
}
