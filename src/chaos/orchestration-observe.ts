// Finds the replica instances that really run on this machine, whatever the state says.
//
// Every replica's container carries the run's marker in its environment (PODMESH_CHAOS_RUN=<run id>)
// and an emptyDir volume named `chaos`:
// - process runtime: a live process whose /proc/<pid>/environ holds the marker is an instance; its pod
//   uid comes from $PODMESH_VOLUME_CHAOS (the runtime's `<stateDir>/<uid>/volumes/chaos`, see
//   docs/runtime.md) and its runner from its parent pid: an agent of the run, or nobody (reparented:
//   an orphan of a killed agent).
// - docker runtime: a running container whose env holds the marker; the pod uid and the member id of
//   the agent come from the runtime's labels. Docker containers outlive their agent by design (a
//   restarted agent adopts them), so the runner is the member id on the label; the check then asks
//   whether that member is still in the cluster.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Instance } from './orchestration-check.js'

export const MARKER_ENV = 'PODMESH_CHAOS_RUN'
export const VOLUME_NAME = 'chaos'
const VOLUME_ENV = 'PODMESH_VOLUME_CHAOS'

/** The agents of the run that are alive now: process id → member id (undefined until known). */
export type AgentPids = ReadonlyMap<number, string | undefined>

export interface InstanceObserver {
  readonly runtime: 'process' | 'docker'
  observe(agents: AgentPids): Promise<Instance[]>
  /** An agent of the run, by member id, whose leftovers `removeAll` must find. */
  addNode(memberId: string): void
  /** Stops every instance of the run that is left (the agents are SIGKILLed at the end; their pods are not). */
  removeAll(): Promise<number>
  /** The same, synchronously, for exit handlers. */
  removeAllNow(): void
}

export class ProcessObserver implements InstanceObserver {
  readonly runtime = 'process'
  private readonly nodes = new Set<string>()

  constructor(private readonly runId: string) {}

  async observe(agents: AgentPids): Promise<Instance[]> {
    const marker = `${MARKER_ENV}=${this.runId}`
    const out: Instance[] = []
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      const env = await readFile(`/proc/${entry}/environ`, 'latin1').catch(() => '')
      const vars = env.split('\0')
      if (!vars.includes(marker)) continue
      const ppid = await parentPid(entry)
      // Gone between the listing and now, or a zombie: not running.
      if (ppid === undefined) continue
      const volume = vars.find((v) => v.startsWith(`${VOLUME_ENV}=`))?.slice(VOLUME_ENV.length + 1)
      const podUid = volume?.split('/').at(-3) ?? `unknown (pid ${entry})`
      const member = agents.get(ppid)
      out.push({
        id: `pid ${entry}`,
        podUid,
        runner: agents.has(ppid) ? { kind: 'agent', memberId: member ?? `agent pid ${ppid}` } : { kind: 'orphan', detail: `parent pid ${ppid} is no agent of the run` },
      })
    }
    return out
  }

  addNode(memberId: string): void {
    this.nodes.add(memberId)
  }

  async removeAll(): Promise<number> {
    return this.removeAllNow()
  }

  removeAllNow(): number {
    const marker = `${MARKER_ENV}=${this.runId}`
    let killed = 0
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      let env = ''
      try {
        env = readFileSync(`/proc/${entry}/environ`, 'latin1')
      } catch {
        continue
      }
      if (!env.split('\0').includes(marker)) continue
      try {
        process.kill(Number(entry), 'SIGKILL')
        killed++
      } catch {
        // already gone
      }
    }
    // The runtime's default state dirs (docs/runtime.md): a SIGKILLed agent leaves its pods' volumes.
    for (const node of this.nodes) rmSync(join(tmpdir(), 'podmesh-process', node.replace(/[^a-zA-Z0-9_.-]/g, '-')), { recursive: true, force: true })
    return killed
  }
}

/** The parent pid from /proc/<pid>/stat; undefined for a process that is gone or a zombie. */
async function parentPid(pid: string): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'latin1').catch(() => undefined)
  if (stat === undefined) return undefined
  // The command name is in parentheses and may hold spaces: read the fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined
  const ppid = Number(fields[1])
  return Number.isInteger(ppid) ? ppid : undefined
}

interface DockerLike {
  listContainers(opts: { filters: string }): Promise<{ Id: string; Labels?: Record<string, string> }[]>
  getContainer(id: string): { inspect(): Promise<{ Config?: { Env?: string[] } }> }
}

export class DockerObserver implements InstanceObserver {
  readonly runtime = 'docker'
  /** Container id → whether it belongs to this run (a container's env never changes). */
  private readonly ours = new Map<string, boolean>()
  /** Member ids whose containers cleanup removes: every agent of the run (see `addNode`). */
  private readonly nodes = new Set<string>()

  private constructor(
    private readonly runId: string,
    private readonly docker: DockerLike,
  ) {}

  static async create(runId: string): Promise<DockerObserver> {
    const { default: Docker } = await import('dockerode')
    return new DockerObserver(runId, new Docker() as unknown as DockerLike)
  }

  addNode(memberId: string): void {
    this.nodes.add(memberId)
  }

  async observe(): Promise<Instance[]> {
    const filters = JSON.stringify({ label: ['io.podmesh.managed=true', 'io.podmesh.container=replica'], status: ['running'] })
    const list = await this.docker.listContainers({ filters })
    const marker = `${MARKER_ENV}=${this.runId}`
    const out: Instance[] = []
    for (const c of list) {
      let mine = this.ours.get(c.Id)
      if (mine === undefined) {
        const info = await this.docker.getContainer(c.Id).inspect().catch(() => undefined)
        if (info === undefined) continue
        mine = (info.Config?.Env ?? []).includes(marker)
        this.ours.set(c.Id, mine)
      }
      if (!mine) continue
      const node = c.Labels?.['io.podmesh.node']
      if (node) this.nodes.add(node)
      out.push({
        id: `container ${c.Id.slice(0, 12)}`,
        podUid: c.Labels?.['io.podmesh.pod-uid'] ?? `unknown (container ${c.Id.slice(0, 12)})`,
        runner: node ? { kind: 'agent', memberId: node } : { kind: 'orphan', detail: 'no node label' },
      })
    }
    return out
  }

  /** Every container (replicas and pod infra containers) and volume of the agents this run saw. */
  async removeAll(): Promise<number> {
    return this.removeAllNow()
  }

  removeAllNow(): number {
    return removeDockerObjects(this.nodes)
  }
}

/** Removes every container and volume the Docker runtime made for these node (member) ids; returns how many containers. */
export function removeDockerObjects(nodeIds: Iterable<string>): number {
  let removed = 0
  for (const node of nodeIds) {
    const ids = docker(['ps', '-aq', '--filter', `label=io.podmesh.node=${node}`]).split('\n').filter(Boolean)
    if (ids.length > 0) docker(['rm', '-f', '-v', ...ids])
    removed += ids.length
    const volumes = docker(['volume', 'ls', '-q', '--filter', `label=io.podmesh.node=${node}`]).split('\n').filter(Boolean)
    if (volumes.length > 0) docker(['volume', 'rm', '-f', ...volumes])
  }
  return removed
}

function docker(args: readonly string[]): string {
  try {
    return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 })
  } catch {
    return ''
  }
}
