// A fleet of real agent processes on this machine, for tests, benchmarks, the chaos runs and the demo:
// each runs the agent of this build (as bin/agent.js would) with its own data dir and ports.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { agentArgv } from '../agent/entry.js'
import type { StatusView } from '../agent/status-view.js'
import { silentLogger } from '../runtime/driver.js'
import { ChildRecords } from '../runtime/process/child-records.js'


// Ports for agents to listen on are picked below Linux's ephemeral range (32768-60999 by default). A
// port the kernel hands out for bind(0) is in that range, and between this check and the agent's own
// bind any outgoing connection on the machine may take it as its local port (seen in a CI run: an
// agent's API port taken). Each port is handed out once per process, so two agents never share one.
const PORT_LOW = 20_000
const PORT_HIGH = 32_000
const handedOut = new Set<number>()

export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = PORT_LOW + Math.floor(Math.random() * (PORT_HIGH - PORT_LOW))
    if (handedOut.has(port) || !(await canListen(port, host))) continue
    handedOut.add(port)
    return port
  }
  throw new Error(`no free port in ${PORT_LOW}-${PORT_HIGH - 1} on ${host}`)
}

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(false))
    s.listen(port, host, () => s.close(() => resolve(true)))
  })
}

export interface AgentProcessOptions {
  readonly name: string
  /** The data dir's folder under the fleet's root; the name unless two agents share a name. */
  readonly dir?: string
  readonly host?: string
  readonly join?: { peer: string; token: string }
  readonly extraArgs?: readonly string[]
  /** `--runtime`: none unless a test runs pods (docker, process or fake). */
  readonly runtime?: string
  readonly env?: Readonly<Record<string, string>>
}

export class AgentProcess {
  child: ChildProcess | undefined
  output = ''
  exitCode: number | null | undefined

  private constructor(
    readonly name: string,
    readonly dataDir: string,
    readonly host: string,
    readonly meshPort: number,
    readonly apiPort: number,
    private readonly opts: AgentProcessOptions,
  ) {}

  static async create(root: string, opts: AgentProcessOptions): Promise<AgentProcess> {
    const host = opts.host ?? '127.0.0.1'
    return new AgentProcess(opts.name, join(root, opts.dir ?? opts.name), host, await freePort(host), await freePort(host), opts)
  }

  get meshAddress(): string {
    return `${this.host}:${this.meshPort}`
  }

  get server(): string {
    return `http://${this.host}:${this.apiPort}`
  }

  /** Starts the agent (`join` the first time when a peer was given, `start` otherwise or when restarting). */
  start(mode: 'start' | 'join' = this.opts.join ? 'join' : 'start'): void {
    const common = ['--data-dir', this.dataDir, '--listen', this.meshAddress, '--api', `${this.host}:${this.apiPort}`, '--name', this.name, '--log-format', 'json', '--runtime', this.opts.runtime ?? 'none', ...(this.opts.extraArgs ?? [])]
    const args = mode === 'join' && this.opts.join ? ['join', this.opts.join.peer, '--token', this.opts.join.token, ...common] : ['start', ...common]
    this.exitCode = undefined
    const child = spawn(process.execPath, agentArgv(args), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...this.opts.env } })
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()))
    child.on('exit', (code) => (this.exitCode = code))
    this.child = child
  }

  /** Runs a client command against this agent and returns its exit code and output. */
  async cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return runAgentCli([...args, '--server', this.server])
  }

  async status(): Promise<StatusView | undefined> {
    try {
      const res = await fetch(`${this.server}/v1/status`, { signal: AbortSignal.timeout(2_000) })
      return res.ok ? ((await res.json()) as StatusView) : undefined
    } catch {
      return undefined
    }
  }

  kill9(): void {
    this.child?.kill('SIGKILL')
  }

  async stop(): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref()
    })
  }

  async waitForExit(timeoutMs = 20_000): Promise<number | null> {
    const child = this.child
    if (!child) return null
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${this.name} did not exit within ${timeoutMs} ms\n${this.output}`)), timeoutMs)
      child.once('exit', (code) => {
        clearTimeout(t)
        resolve(code)
      })
    })
  }
}

export async function runAgentCli(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, agentArgv(args), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

/** Polls until `check` returns a value (not undefined/false), or fails with `what` and the last value seen. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v !== undefined && v !== false) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

export class Fleet {
  readonly agents: AgentProcess[] = []
  private constructor(readonly root: string) {}

  static async create(prefix = 'podmesh-fleet-'): Promise<Fleet> {
    return new Fleet(await mkdtemp(join(tmpdir(), prefix)))
  }

  async add(opts: AgentProcessOptions): Promise<AgentProcess> {
    const a = await AgentProcess.create(this.root, opts)
    this.agents.push(a)
    return a
  }

  async destroy(): Promise<void> {
    await Promise.all(this.agents.map((a) => a.stop()))
    // Process-runtime pods outlive their agent by design (a restarted agent finds them by these records):
    // a fleet that is destroyed for good kills them, as the next agent start would.
    await Promise.all(this.agents.map((a) => new ChildRecords(join(a.dataDir, 'process-runtime', '.children'), silentLogger).killLeftovers()))
    await rm(this.root, { recursive: true, force: true })
  }

  /** Dumps every agent's output: attach to a failing test. */
  logs(): string {
    return this.agents.map((a) => `----- ${a.name} -----\n${a.output.slice(-6000)}`).join('\n')
  }
}
