// Pods as child processes, for hosts without Docker. Each container's command + args runs with the
// container's environment and workingDir in its own process group; the image is ignored. There is no
// network namespace: the pod shares the node's address (podIP = hostIP) and ports are the processes'
// own. emptyDir volumes are directories under the state dir, named in $PODMESH_VOLUME_<NAME>
// (processes cannot mount). Nothing survives the agent: close() stops every child, a killed agent's
// children are killed by the next one before it starts any (child-records.ts), then started anew.
import { randomBytes } from 'node:crypto'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { constants } from 'node:os'
import { dirname, join } from 'node:path'
import type { Container } from '../../resources/index.js'
import type { AdoptedPod, ContainerExit, EngineEvents, PodDriver, RuntimeLogger, SandboxInfo, StartContext, StartedContainer } from '../driver.js'
import { ContainerConfigError, ContainerStartError, ProbeTimeoutError, errorMessage } from '../errors.js'
import type { LogOptions, RuntimePod } from '../types.js'
import { ChildRecords, RUN_TOKEN_ENV } from './child-records.js'
import { OutputBuffer } from './output-buffer.js'

export interface ProcessDriverOptions {
  /** Root of the pods' volume directories and of the records of running children. */
  readonly stateDir: string
  /** The pods' address (they share the node's network). */
  readonly hostIP: string
  readonly log: RuntimeLogger
  /** Variables of the agent's own environment passed to every child. Default PATH, HOME, LANG, TZ. */
  readonly inheritEnv?: readonly string[]
}

interface Child {
  readonly uid: string
  readonly name: string
  readonly proc: ChildProcess
  readonly output: OutputBuffer
  readonly startedAt: number
  readonly exited: Promise<void>
  exit?: ContainerExit
}

export class ProcessDriver implements PodDriver {
  readonly name = 'process'
  private readonly children = new Map<string, Child>()
  private readonly records: ChildRecords
  private onExit: EngineEvents['exit'] = () => {}

  constructor (private readonly opts: ProcessDriverOptions) {
    this.records = new ChildRecords(join(opts.stateDir, '.children'), opts.log)
  }

  async watch (events: EngineEvents): Promise<void> { this.onExit = events.exit }

  /** Nothing can be adopted (a child's pipes died with its agent): what an earlier agent left is killed. */
  async adopt (): Promise<readonly AdoptedPod[]> {
    await this.records.killLeftovers()
    return []
  }

  async ensureSandbox (pod: RuntimePod): Promise<SandboxInfo> {
    for (const v of pod.spec.volumes ?? []) {
      const dir = join(this.podDir(pod.uid), 'volumes', v.name)
      await mkdir(dir, { recursive: true })
      for (const [path, bytes] of Object.entries(pod.files[v.name] ?? {})) {
        const target = join(dir, path)
        if (!target.startsWith(dir + '/')) continue
        await mkdir(dirname(target), { recursive: true })
        await writeFile(target, bytes)
      }
    }
    return { podIP: this.opts.hostIP, createdAt: Date.now() }
  }

  async ensureImage (): Promise<void> {}

  async startContainer (pod: RuntimePod, c: Container, _ctx: StartContext): Promise<StartedContainer> {
    const argv = [...(c.command ?? []), ...(c.args ?? [])]
    if (argv.length === 0) throw new ContainerConfigError(`container ${c.name}: the process runtime needs a command (it does not read images)`)
    const token = randomBytes(8).toString('hex')
    await this.records.intend(token)
    const proc = spawn(argv[0]!, argv.slice(1), { cwd: c.workingDir, env: { ...this.env(pod, c), [RUN_TOKEN_ENV]: token }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    const output = new OutputBuffer()
    proc.stdout!.on('data', (b: Buffer) => output.push(b))
    proc.stderr!.on('data', (b: Buffer) => output.push(b))
    const startedAt = Date.now()
    // Listening from the spawn on: a quick process may exit while its record is written.
    const exitSeen = new Promise<ContainerExit>(resolve => proc.once('exit', (code, signal) => {
      const exitCode = code ?? 128 + (signal !== null ? constants.signals[signal] ?? 0 : 0)
      resolve({ exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt, finishedAt: Date.now() })
    }))
    try {
      await new Promise<void>((resolve, reject) => {
        proc.once('spawn', resolve)
        proc.once('error', err => reject(new ContainerStartError(`starting ${argv[0]} failed: ${errorMessage(err)}`)))
      })
      await this.records.started(token, proc.pid!)
    } catch (err) {
      signalGroup(proc, 'SIGKILL')
      await this.records.forget(token)
      throw err
    }
    const id = String(proc.pid)
    const exited = exitSeen.then(async exit => {
      const child = this.children.get(id)
      if (child !== undefined) child.exit = exit
      output.end()
      // The group leader exited; what it left in its group goes with it, as in a container.
      signalGroup(proc, 'SIGKILL')
      this.onExit(pod.uid, c.name, id, exit)
      await this.records.forget(token).catch(() => {})
    })
    this.children.set(id, { uid: pod.uid, name: c.name, proc, output, startedAt, exited })
    return { id, startedAt }
  }

  async stopContainer (id: string, graceSeconds: number): Promise<void> {
    const child = this.children.get(id)
    if (child === undefined || child.exit !== undefined) return
    signalGroup(child.proc, 'SIGTERM')
    const timer = setTimeout(() => signalGroup(child.proc, 'SIGKILL'), graceSeconds * 1000)
    await child.exited
    clearTimeout(timer)
  }

  async discardContainer (id: string): Promise<void> {
    const child = this.children.get(id)
    if (child?.exit !== undefined) this.children.delete(id)
  }

  exec (_id: string, pod: RuntimePod, c: Container, command: readonly string[], timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      if (command.length === 0) { reject(new ContainerConfigError('exec: empty command')); return }
      const proc = spawn(command[0]!, command.slice(1), { cwd: c.workingDir, env: this.env(pod, c), stdio: 'ignore', detached: true })
      const timer = setTimeout(() => { signalGroup(proc, 'SIGKILL'); reject(new ProbeTimeoutError(`exec probe timed out after ${timeoutMs} ms`)) }, timeoutMs)
      proc.once('error', err => { clearTimeout(timer); reject(err) })
      proc.once('exit', code => { clearTimeout(timer); resolve(code ?? -1) })
    })
  }

  probeHost (): string { return '127.0.0.1' }

  async lostSandboxes (): Promise<readonly string[]> { return [] }

  async checkExited (ids: readonly string[]): Promise<ReadonlyMap<string, ContainerExit>> {
    const out = new Map<string, ContainerExit>()
    for (const id of ids) {
      const child = this.children.get(id)
      if (child?.exit !== undefined) out.set(id, child.exit)
    }
    return out
  }

  async removePod (uid: string): Promise<void> {
    const mine = [...this.children].filter(([, c]) => c.uid === uid)
    await Promise.all(mine.map(([id]) => this.stopContainer(id, 0)))
    for (const [id] of mine) this.children.delete(id)
    await rm(this.podDir(uid), { recursive: true, force: true })
  }

  logs (id: string, opts: LogOptions): AsyncIterable<Uint8Array> {
    const child = this.children.get(id)
    if (child === undefined) return (async function * () {})()
    return child.output.read({ ...(opts.follow !== undefined ? { follow: opts.follow } : {}), ...(opts.tail !== undefined ? { tail: opts.tail } : {}), ...(opts.signal !== undefined ? { signal: opts.signal } : {}) })
  }

  /** Child processes cannot outlive the agent usefully (nobody could adopt them): stop them all. */
  async close (): Promise<void> {
    await Promise.all([...this.children.keys()].map(id => this.stopContainer(id, 2)))
  }

  private podDir (uid: string): string {
    return join(this.opts.stateDir, uid.replace(/[^a-zA-Z0-9_.-]/g, '-'))
  }

  private env (pod: RuntimePod, c: Container): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {}
    for (const k of this.opts.inheritEnv ?? ['PATH', 'HOME', 'LANG', 'TZ']) if (process.env[k] !== undefined) env[k] = process.env[k]
    for (const v of pod.spec.volumes ?? []) env[`PODMESH_VOLUME_${v.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] = join(this.podDir(pod.uid), 'volumes', v.name)
    return { ...env, ...(pod.env[c.name] ?? {}) }
  }
}

function signalGroup (proc: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (proc.pid !== undefined) process.kill(-proc.pid, signal)
  } catch {
    try { proc.kill(signal) } catch { /* already gone */ }
  }
}
