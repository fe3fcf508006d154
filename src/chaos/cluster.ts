// The agents of a chaos run: formed through the real `agent start` / `agent join`, one loopback
// address per node (127.0.0.11, .12, …), and queried through their status API.
import { mkdir } from 'node:fs/promises'
import { dataDirPaths, readClusterFile } from '../agent/data-dir.js'
import { freePort } from '../fleet/local-fleet.js'
import type { StatusView } from '../agent/status-view.js'
import { ChaosNode } from './node-process.js'

export interface ClusterOptions {
  readonly nodes: number
  /** Data dirs go here. */
  readonly root: string
  readonly logDir: string
  /** The last octet of the first node's address; node i gets 127.0.0.(base + i). Default 11. */
  readonly addressBase?: number
  /** Reserve a second port per node for an in-process filter in front of the mesh port. */
  readonly filterPorts?: boolean
  readonly tickMs?: number
  readonly voterGraceSec?: number
  /** The agents' `--runtime`. */
  readonly runtime?: string
}

export function nodeAddress(slot: number, base = 11): string {
  const octet = base + slot
  if (octet < 2 || octet > 254) throw new Error(`no loopback address for node slot ${slot} from base ${base}`)
  return `127.0.0.${octet}`
}

/** How many voters the agents aim for (docs/agent.md): 1 below 3 members, 3 below 5, else 5. */
export function voterTarget(members: number): number {
  return members >= 5 ? 5 : members >= 3 ? 3 : 1
}

export class ChaosCluster {
  token = ''

  private constructor(readonly nodes: readonly ChaosNode[]) {}

  static async create(opts: ClusterOptions): Promise<ChaosCluster> {
    await mkdir(opts.root, { recursive: true })
    await mkdir(opts.logDir, { recursive: true })
    const nodes: ChaosNode[] = []
    for (let slot = 0; slot < opts.nodes; slot++) {
      const host = nodeAddress(slot, opts.addressBase)
      const meshPort = await freePort(host)
      const apiPort = await freePort(host)
      const advertisePort = opts.filterPorts ? await freePort(host) : undefined
      nodes.push(
        new ChaosNode({
          slot, host, meshPort, apiPort, root: opts.root, logDir: opts.logDir,
          ...(advertisePort === undefined ? {} : { advertisePort }),
          ...(opts.tickMs === undefined ? {} : { tickMs: opts.tickMs }),
          ...(opts.voterGraceSec === undefined ? {} : { voterGraceSec: opts.voterGraceSec }),
          ...(opts.runtime === undefined ? {} : { runtime: opts.runtime }),
        }),
      )
    }
    return new ChaosCluster(nodes)
  }

  endpoints(): string[] {
    return this.nodes.map((n) => n.api)
  }

  /** `agent start` on n1, then `agent join` of the others through n1, one at a time. */
  async form(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    const first = this.nodes[0]!
    first.start({ kind: 'start' })
    await until(`${first.name} leads`, deadline, async () => (await first.status())?.node.raftRole === 'leader')
    const file = await readClusterFile(dataDirPaths(first.dataDir))
    if (!file) throw new Error(`${first.name} wrote no cluster.json`)
    this.token = file.joinToken
    for (const node of this.nodes.slice(1)) {
      node.start({ kind: 'join', peer: first.meshAddress, token: this.token })
      await until(`${node.name} joins`, deadline, async () => (await node.status())?.leader != null)
    }
    await until('every node a member, voters at target', deadline, async () => (await this.health()) === undefined)
  }

  /** Starts a node that left, with a fresh data dir, through any other running node. */
  rejoin(node: ChaosNode): void {
    const peer = this.nodes.find((n) => n !== node && n.running && !n.paused) ?? this.nodes.find((n) => n !== node)!
    node.nextIncarnation()
    node.start({ kind: 'join', peer: peer.meshAddress, token: this.token })
  }

  /** The slot of the node that leads, as the first running node that knows a leader says. */
  async leaderSlot(): Promise<number | undefined> {
    for (const node of this.nodes) {
      const st = await node.status(1_000)
      if (!st?.leader) continue
      const name = st.leader.name
      const slot = this.nodes.findIndex((n) => n.name === name)
      if (slot >= 0) return slot
    }
    return undefined
  }

  /** Undefined when healthy; otherwise what is not (for the report). */
  async health(): Promise<string | undefined> {
    const views: StatusView[] = []
    for (const node of this.nodes) {
      if (!node.running) return `${node.name} is not running`
      if (node.paused) return `${node.name} is paused`
      const st = await node.status()
      if (!st) return `${node.name} does not answer its status`
      views.push(st)
    }
    const leader = views[0]!.leader?.id
    if (!leader || views.some((v) => v.leader?.id !== leader)) return 'the nodes do not agree on a leader'
    const view = views.find((v) => v.node.id === leader) ?? views[0]!
    for (const v of views) if (!view.members.some((m) => m.id === v.node.id)) return `${v.node.name} is not a member`
    const voters = view.members.filter((m) => m.role === 'voter')
    if (voters.length !== voterTarget(this.nodes.length)) return `${voters.length} voters, target ${voterTarget(this.nodes.length)}`
    const unreachable = voters.filter((m) => m.reachable === false)
    if (unreachable.length > 0) return `voters unreachable from the leader: ${unreachable.map((m) => m.name).join(', ')}`
    return undefined
  }

  /** Polls until healthy or the time is up; returns the last problem seen, or undefined. */
  async waitHealthy(timeoutMs: number): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs
    let problem: string | undefined = 'not checked'
    while (Date.now() < deadline) {
      problem = await this.health()
      if (problem === undefined) return undefined
      await sleep(250)
    }
    return problem
  }

  /** Stops every process: SIGCONT first (a stopped process ignores SIGTERM), then SIGKILL. */
  async destroy(): Promise<void> {
    for (const n of this.nodes) n.signal('SIGCONT')
    await Promise.all(this.nodes.map((n) => n.kill9()))
    await Promise.all(this.nodes.map((n) => n.closeLog()))
  }

  killAllNow(): void {
    for (const n of this.nodes) n.killNow()
  }
}

async function until(what: string, deadline: number, check: () => Promise<boolean>): Promise<void> {
  // Bounded by the deadline.
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await sleep(100)
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
