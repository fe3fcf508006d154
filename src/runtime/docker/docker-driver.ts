// The Docker engine under the supervisors: every object carries this node's labels, every list filters
// on them, and nothing else is touched.
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type Docker from 'dockerode'
import type { Container } from '../../resources/index.js'
import type { AdoptedPod, ContainerExit, EngineEvents, PodDriver, RuntimeLogger, SandboxInfo, StartContext, StartedContainer } from '../driver.js'
import { ContainerStartError, ProbeTimeoutError } from '../errors.js'
import type { LogOptions, RuntimePod } from '../types.js'
import { findPods } from './adopt.js'
import { containerCreateOptions, type InfraSettings } from './container-config.js'
import { demux, demuxBuffer } from './demux.js'
import { dockerMessage, isStatus } from './docker-errors.js'
import { EventWatcher } from './events.js'
import { ImageStore } from './images.js'
import { exitOf, startedAtOf } from './inspect.js'
import { INFRA, LABEL, containerName, labelFilter, ownedBy } from './labels.js'
import { makeSandbox, type Sandbox } from './sandbox.js'

export interface DockerDriverOptions {
  readonly nodeId: string
  readonly infraImage: string
  readonly infraCommand: readonly string[]
  readonly defaultHostIP?: string
  /** Where configMap and secret volume files are written on the host. */
  readonly stateDir: string
  readonly log: RuntimeLogger
}

export class DockerDriver implements PodDriver {
  readonly name = 'docker'
  private readonly images: ImageStore
  private readonly sandboxes = new Map<string, Sandbox>()
  private events: EventWatcher | undefined

  constructor (private readonly docker: Docker, private readonly opts: DockerDriverOptions) {
    this.images = new ImageStore(docker)
  }

  private get infra (): InfraSettings {
    const o = this.opts
    return { nodeId: o.nodeId, image: o.infraImage, command: o.infraCommand, ...(o.defaultHostIP !== undefined ? { defaultHostIP: o.defaultHostIP } : {}) }
  }

  private filesDir (uid: string): string {
    return join(this.opts.stateDir, uid)
  }

  async watch (handlers: EngineEvents): Promise<void> {
    this.events = new EventWatcher(this.docker, this.opts.nodeId, e => {
      const uid = e.labels[LABEL.podUid]
      const name = e.labels[LABEL.container]
      if (e.action !== 'die' || uid === undefined || name === undefined) return
      if (name === INFRA) { handlers.sandboxLost(uid, e.id); return }
      this.docker.getContainer(e.id).inspect()
        .then(info => handlers.exit(uid, name, e.id, exitOf(info)))
        .catch(() => handlers.exit(uid, name, e.id, gone()))
    }, this.opts.log)
    await this.events.start()
  }

  async adopt (): Promise<readonly AdoptedPod[]> {
    const { pods, infra } = await findPods(this.docker, this.opts.nodeId)
    for (const [uid, s] of infra) this.sandboxes.set(uid, s)
    return pods
  }

  async ensureSandbox (pod: RuntimePod, configHash: string): Promise<SandboxInfo> {
    await this.images.ensure(this.opts.infraImage, 'IfNotPresent')
    const s = await makeSandbox(this.docker, pod, configHash, this.infra, this.filesDir(pod.uid))
    this.sandboxes.set(pod.uid, s)
    return s
  }

  ensureImage (container: Container): Promise<void> {
    return this.images.ensure(container.image, container.imagePullPolicy)
  }

  async startContainer (pod: RuntimePod, container: Container, ctx: StartContext): Promise<StartedContainer> {
    const sandbox = this.sandboxes.get(pod.uid)
    if (sandbox === undefined) throw new ContainerStartError(`pod ${pod.uid} has no sandbox`)
    const options = containerCreateOptions(pod, container, { nodeId: this.opts.nodeId, configHash: ctx.configHash, restartCount: ctx.restartCount, backoffFailures: ctx.backoffFailures, infraId: sandbox.id, filesDir: this.filesDir(pod.uid) })
    const name = containerName(pod.uid, container.name, ctx.restartCount)
    const created = await this.create(name, options)
    try {
      await created.start()
      const info = await created.inspect()
      return { id: created.id, startedAt: startedAtOf(info) }
    } catch (err) {
      await created.remove({ force: true }).catch(() => {})
      throw new ContainerStartError(`starting container ${container.name} failed: ${dockerMessage(err)}`)
    }
  }

  /** Creates, replacing a leftover of the same name if (and only if) it is this node's. */
  private async create (name: string, options: Docker.ContainerCreateOptions): Promise<Docker.Container> {
    try {
      return await this.docker.createContainer({ name, ...options })
    } catch (err) {
      if (!isStatus(err, 409)) throw new ContainerStartError(`creating container ${name} failed: ${dockerMessage(err)}`)
      const old = await this.docker.getContainer(name).inspect().catch(() => undefined)
      if (old === undefined || !ownedBy(old.Config.Labels, this.opts.nodeId)) throw new ContainerStartError(`container name ${name} is taken by a container this node does not own`)
      await this.docker.getContainer(old.Id).remove({ force: true })
      return await this.docker.createContainer({ name, ...options })
    }
  }

  async stopContainer (id: string, graceSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: graceSeconds })
    } catch (err) {
      if (!isStatus(err, 304, 404)) throw err
    }
  }

  async discardContainer (id: string): Promise<void> {
    await this.docker.getContainer(id).remove({ force: true }).catch(err => { if (!isStatus(err, 404)) throw err })
  }

  async exec (id: string, _pod: RuntimePod, _c: Container, command: readonly string[], timeoutMs: number): Promise<number> {
    const exec = await this.docker.getContainer(id).exec({ Cmd: [...command], AttachStdout: true, AttachStderr: true })
    const stream = await exec.start({ hijack: true, stdin: false })
    let timer: NodeJS.Timeout | undefined
    const finished = new Promise<void>((resolve, reject) => {
      stream.on('end', resolve)
      stream.on('close', resolve)
      stream.on('error', reject)
      stream.resume()
    })
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => { stream.destroy(); reject(new ProbeTimeoutError(`exec probe timed out after ${timeoutMs} ms`)) }, timeoutMs)
    })
    try {
      await Promise.race([finished, timeout])
    } finally {
      clearTimeout(timer)
    }
    const info = await exec.inspect()
    return info.ExitCode ?? -1
  }

  probeHost (sandbox: SandboxInfo | undefined): string {
    return sandbox?.podIP ?? '127.0.0.1'
  }

  async checkExited (ids: readonly string[]): Promise<ReadonlyMap<string, ContainerExit>> {
    const listed = await this.docker.listContainers({ all: true, filters: { label: labelFilter(this.opts.nodeId) } })
    const state = new Map(listed.map(c => [c.Id, c.State]))
    const out = new Map<string, ContainerExit>()
    for (const id of ids) {
      const s = state.get(id)
      if (s === 'running') continue
      if (s === undefined) { out.set(id, gone()); continue }
      const info = await this.docker.getContainer(id).inspect().catch(() => undefined)
      out.set(id, info === undefined ? gone() : exitOf(info))
    }
    return out
  }

  async lostSandboxes (sandboxes: ReadonlyMap<string, string>): Promise<readonly string[]> {
    const running = await this.docker.listContainers({ filters: { label: [...labelFilter(this.opts.nodeId), `${LABEL.container}=${INFRA}`], status: ['running'] } })
    const alive = new Set(running.map(c => c.Id))
    return [...sandboxes].filter(([, id]) => !alive.has(id)).map(([uid]) => uid)
  }

  async removePod (uid: string): Promise<void> {
    const filters = { label: labelFilter(this.opts.nodeId, uid) }
    const containers = await this.docker.listContainers({ all: true, filters })
    // Containers joined to the infra namespace go first, then the infra container.
    const order = [...containers.filter(c => c.Labels[LABEL.container] !== INFRA), ...containers.filter(c => c.Labels[LABEL.container] === INFRA)]
    for (const c of order) {
      if (!ownedBy(c.Labels, this.opts.nodeId)) continue
      await this.docker.getContainer(c.Id).remove({ force: true, v: false }).catch(err => { if (!isStatus(err, 404)) throw err })
    }
    const { Volumes } = await this.docker.listVolumes({ filters: JSON.stringify(filters) } as Docker.VolumeListOptions)
    for (const v of Volumes ?? []) {
      if (!ownedBy(v.Labels ?? undefined, this.opts.nodeId)) continue
      await this.docker.getVolume(v.Name).remove().catch(err => { if (!isStatus(err, 404)) throw err })
    }
    await rm(this.filesDir(uid), { recursive: true, force: true })
    this.sandboxes.delete(uid)
  }

  async * logs (id: string, opts: LogOptions): AsyncIterable<Uint8Array> {
    const c = this.docker.getContainer(id)
    const base = { stdout: true, stderr: true, ...(opts.tail !== undefined ? { tail: opts.tail } : {}), ...(opts.signal !== undefined ? { abortSignal: opts.signal } : {}) }
    if (opts.follow !== true) {
      yield * demuxBuffer(await c.logs({ ...base, follow: false }))
      return
    }
    const stream = await c.logs({ ...base, follow: true })
    yield * demux(stream as unknown as AsyncIterable<Uint8Array>)
  }

  async close (): Promise<void> {
    this.events?.close()
  }
}

/** The exit of a container someone removed behind our back. */
function gone (): ContainerExit {
  return { exitCode: 137, reason: 'Error', message: 'the container is gone from the engine', finishedAt: Date.now() }
}
