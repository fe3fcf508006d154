// One agent process of a chaos run: its own loopback address for the mesh (listen and dial) and the
// API, a data dir per incarnation (a node that left joins again with a fresh one), and the signals
// the nemesis sends it.
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import { agentArgv } from '../agent/entry.js'
import type { StatusView } from '../agent/status-view.js'
import { httpJson } from './http.js'


export interface ChaosNodeInit {
  readonly slot: number
  readonly host: string
  readonly meshPort: number
  readonly apiPort: number
  /** The port other agents dial, when an in-process filter stands in front of the mesh port. */
  readonly advertisePort?: number
  readonly root: string
  readonly logDir: string
  readonly tickMs?: number
  readonly voterGraceSec?: number
  /** `--runtime` of the agent: how it runs pods. Default: none given (the agent's own default). */
  readonly runtime?: string
}

export type StartMode = { readonly kind: 'start' } | { readonly kind: 'join'; readonly peer: string; readonly token: string }

export class ChaosNode {
  child: ChildProcess | undefined
  incarnation = 0
  paused = false
  private log: WriteStream | undefined

  constructor(readonly init: ChaosNodeInit) {}

  get slot(): number {
    return this.init.slot
  }
  get name(): string {
    return `n${this.init.slot + 1}`
  }
  get host(): string {
    return this.init.host
  }
  get api(): string {
    return `http://${this.init.host}:${this.init.apiPort}`
  }
  /** The mesh address peers dial (the filter's port in fallback mode). */
  get meshAddress(): string {
    return `${this.init.host}:${this.init.advertisePort ?? this.init.meshPort}`
  }
  get dataDir(): string {
    return join(this.init.root, `${this.name}.${this.incarnation}`)
  }
  get pid(): number | undefined {
    return this.child?.pid
  }
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
  }

  start(mode: StartMode): void {
    if (this.running) throw new Error(`${this.name} is already running`)
    const i = this.init
    const common = ['--data-dir', this.dataDir, '--listen', `${i.host}:${i.meshPort}`, '--api', `${i.host}:${i.apiPort}`, '--name', this.name, '--log-format', 'json', '--tick-ms', String(i.tickMs ?? 50), '--voter-grace', String(i.voterGraceSec ?? 30)]
    if (i.advertisePort !== undefined) common.push('--advertise', `${i.host}:${i.advertisePort}`)
    if (i.runtime !== undefined) common.push('--runtime', i.runtime)
    const args = mode.kind === 'join' ? ['join', mode.peer, '--token', mode.token, ...common] : ['start', ...common]
    this.log ??= createWriteStream(join(i.logDir, `${this.name}.log`), { flags: 'a' })
    this.log.write(`----- ${new Date().toISOString()} ${mode.kind} (incarnation ${this.incarnation}) -----\n`)
    // Its own process group: a Ctrl-C meant for the runner must not stop the agents behind its back;
    // the runner heals, checks and then kills them itself.
    const child = spawn(process.execPath, agentArgv(args), { stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    child.stdout!.pipe(this.log, { end: false })
    child.stderr!.pipe(this.log, { end: false })
    this.paused = false
    this.child = child
  }

  /** A fresh data dir for the next start (after leaving the cluster). */
  nextIncarnation(): void {
    this.incarnation++
  }

  signal(sig: NodeJS.Signals): boolean {
    if (!this.running) return false
    this.child!.kill(sig)
    if (sig === 'SIGSTOP') this.paused = true
    if (sig === 'SIGCONT') this.paused = false
    return true
  }

  async waitForExit(timeoutMs: number): Promise<boolean> {
    const child = this.child
    if (!child || !this.running) return true
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs)
      child.once('exit', () => {
        clearTimeout(t)
        resolve(true)
      })
    })
  }

  /** SIGKILL and wait for the exit (a paused process dies too). */
  async kill9(): Promise<void> {
    if (!this.running) return
    this.signal('SIGKILL')
    await this.waitForExit(10_000)
    this.paused = false
  }

  /** Synchronous last resort for exit handlers. */
  killNow(): void {
    if (this.running) this.child!.kill('SIGKILL')
  }

  async status(timeoutMs = 2_000): Promise<StatusView | undefined> {
    if (!this.running || this.paused) return undefined
    const r = await httpJson('GET', `${this.api}/v1/status`, undefined, timeoutMs)
    return r.kind === 'response' && r.status === 200 ? (r.body as StatusView) : undefined
  }

  async closeLog(): Promise<void> {
    const log = this.log
    this.log = undefined
    if (log) await new Promise<void>((r) => log.end(() => r()))
  }
}
