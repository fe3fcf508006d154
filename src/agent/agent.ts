import { EventEmitter } from 'node:events'
import { isIP } from 'node:net'
import type { Logger } from 'pino'
import { createJoinToken, createMesh, formatJoinToken, loadOrCreateIdentity, nodeIdOf, parseJoinToken, type Mesh } from '../net/index.js'
import { RaftDriver } from '../raft/driver.js'
import { LevelStorage } from '../raft/level-storage.js'
import type { Entry, NodeId, Snapshot } from '../raft/types.js'
import { Services, serviceOptions } from '../services/index.js'
import { ClusterState } from '../state/cluster-state.js'
import type { MemberInfo } from '../state/members.js'
import { formatHostPort, isLoopback, toMultiaddr, type HostPort } from './address.js'
import { createAgentApi } from './api/agent-api.js'
import type { ApiServer } from './api/server.js'
import { ensureDataDir, exists, newApiToken, readClusterFile, writeClusterFile, type ClusterFile, type DataDirPaths } from './data-dir.js'
import { StartupError } from './errors.js'
import { requestJoin } from './join.js'
import { MembershipController } from './membership-controller.js'
import { Proposer, sleep } from './proposer.js'
import { registerRpcHandlers } from './rpc-handlers.js'
import { startOrchestration, type NodeOptions, type Orchestration } from './node-orchestration.js'

export type AgentMode = { readonly kind: 'start' } | { readonly kind: 'join'; readonly peer: string; readonly token: string }

export interface AgentConfig {
  readonly dataDir: string
  readonly listen: HostPort
  readonly advertise?: HostPort
  readonly api: HostPort
  readonly name: string
  readonly tickMs: number
  readonly voterGraceMs: number
  readonly log: Logger
  readonly mode: AgentMode
  /** Labels, capacity overrides, runtime and node grace (agent flags); defaults when absent. */
  readonly node?: NodeOptions
}

/** How this start went: printed by `agent start` / `agent join`. */
export type Startup = { readonly kind: 'created'; readonly joinToken: string } | { readonly kind: 'joined'; readonly peer: string } | { readonly kind: 'resumed' }

/**
 * One node's agent: the mesh, the Raft driver over the LevelDB log, the cluster state applied from it,
 * the leader's membership controller and the HTTP API, composed here and nowhere else.
 */
export class Agent extends EventEmitter<{ left: [] }> {
  private constructor(
    readonly id: NodeId,
    readonly cfg: AgentConfig,
    readonly paths: DataDirPaths,
    readonly file: ClusterFile,
    readonly startup: Startup,
    readonly mesh: Mesh,
    readonly storage: LevelStorage,
    readonly state: ClusterState,
    readonly driver: RaftDriver,
    readonly proposer: Proposer,
    readonly membership: MembershipController,
    readonly api: ApiServer,
  ) {
    super()
  }

  /** Node registration, heartbeats, pod sync and (on the leader) the controllers. */
  orchestration: Orchestration | undefined
  /** Endpoints, the routing mesh and the service DNS (src/services). */
  services: Services | undefined

  static async open(cfg: AgentConfig): Promise<Agent> {
    const log = cfg.log
    const paths = await ensureDataDir(cfg.dataDir)
    let file = await readClusterFile(paths)
    if (file?.left) {
      throw new StartupError(`this node left its cluster (agent leave). To start afresh or join again, remove ${paths.root} or use another --data-dir`)
    }
    if (!file && (await exists(paths.raft))) {
      throw new StartupError(`${paths.root} holds a Raft log but no cluster.json: the data dir is incomplete. Remove ${paths.root} and join the cluster again with \`agent join\``)
    }
    if (file && cfg.mode.kind === 'join' && file.joinToken !== cfg.mode.token.trim()) {
      throw new StartupError(`${paths.root} already belongs to a cluster. Resume it with \`agent start --data-dir ${paths.root}\`, or join another cluster with an empty --data-dir`)
    }
    const token = file?.joinToken ?? (cfg.mode.kind === 'join' ? checkedToken(cfg.mode.token) : formatJoinToken(createJoinToken()))

    // A node resuming its cluster checks its log before it becomes reachable: one with a corrupt store exits unseen.
    let storage = file ? await openStorage(paths.raft) : undefined
    const key = await loadOrCreateIdentity(paths.root)
    const id = nodeIdOf(key)
    const mesh = createMesh({
      privateKey: key,
      token,
      listen: toMultiaddr(cfg.listen),
      ...(cfg.advertise ? { announce: [toMultiaddr(cfg.advertise)] } : {}),
      // Listening on one specific IPv4 address: dial from it too (the chaos runner cuts nodes by address).
      ...(dialsFromListenAddress(cfg.listen.host) ? { dialFrom: cfg.listen.host } : {}),
      logger: log.child({ component: 'net' }),
    })
    try {
      await mesh.start()
    } catch (err) {
      await storage?.close()
      throw new StartupError(`cannot listen on ${formatHostPort(cfg.listen)} for the mesh: ${(err as Error).message}. Choose another with --listen`)
    }

    let startup: Startup = { kind: 'resumed' }
    if (!file) {
      if (cfg.mode.kind === 'start') {
        file = { version: 1, joinToken: token, apiToken: newApiToken(), origin: { kind: 'created' }, createdAt: new Date().toISOString() }
        startup = { kind: 'created', joinToken: token }
      } else {
        const info = selfInfo(cfg, mesh, cfg.api)
        log.info({ peer: cfg.mode.peer }, 'joining the cluster')
        const reply = await requestJoin(mesh, cfg.mode.peer, { id, info }, log).catch(async (err) => {
          await mesh.stop()
          throw err
        })
        for (const m of reply.members) if (m.id !== id) mesh.addPeer(m.id, m.addrs)
        file = { version: 1, joinToken: token, apiToken: reply.apiToken, origin: { kind: 'joined', peer: cfg.mode.peer }, createdAt: new Date().toISOString() }
        startup = { kind: 'joined', peer: cfg.mode.peer }
      }
      await writeClusterFile(paths, file)
    }

    storage ??= await openStorage(paths.raft).catch(async (err) => {
      await mesh.stop()
      throw err
    })
    const state = new ClusterState()
    const peers = new PeerSync(id, mesh, state)
    const driver = await RaftDriver.start(
      {
        storage,
        transport: mesh,
        stateMachine: {
          apply: (entries: readonly Entry[]) => {
            state.apply(entries)
            if (entries.some((e) => e.type === 'conf' || e.data.length > 0)) peers.sync()
          },
          restore: (snap: Snapshot) => {
            state.restore(snap.data, snap.metadata.index)
            peers.sync()
          },
          snapshot: () => state.snapshot(),
        },
      },
      // Heartbeats every second tick, elections after 10 to 20 (docs/agent.md, Timing).
      { id, tickMs: cfg.tickMs, bootstrap: startup.kind === 'created', raft: { electionTick: 10, heartbeatTick: 2 } },
    )
    mesh.onMessage((m) => driver.receive(m))
    mesh.onPeerEvent((e) => {
      if (e.type === 'down') driver.reportUnreachable(e.peer)
    })
    peers.sync()

    const proposer = new Proposer(id, driver, mesh, state, log.child({ component: 'proposer' }))
    const membership = new MembershipController(id, driver, mesh, proposer, log.child({ component: 'membership' }), { voterGraceMs: cfg.voterGraceMs })
    const agentRef: { current?: Agent } = {}
    const api = createAgentApi(() => agentRef.current!, {
      host: cfg.api.host,
      port: cfg.api.port,
      log: log.child({ component: 'api' }),
      ...(isLoopback(cfg.api.host) ? {} : { bearerToken: file.apiToken }),
      joinToken: file.joinToken,
    })
    const agent = new Agent(id, cfg, paths, file, startup, mesh, storage, state, driver, proposer, membership, api)
    agentRef.current = agent
    registerRpcHandlers(agent)
    agent.logLeadershipAndMembership()
    try {
      await api.start()
    } catch (err) {
      await agent.close()
      throw new StartupError(`cannot listen on ${formatHostPort(cfg.api)} for the API: ${(err as Error).message}. Choose another with --api`)
    }
    membership.start()
    agent.orchestration = await startOrchestration(agent, cfg.node)
    agent.services = new Services({ state, log: log.child({ component: 'services' }), runtime: agent.orchestration.runtime?.name }, cfg.node?.services ?? serviceOptions({}))
    agent.services.start()
    void agent.announceSelf()
    return agent
  }

  get name(): string {
    return this.cfg.name
  }

  info(): MemberInfo {
    return selfInfo(this.cfg, this.mesh, this.cfg.api)
  }

  /** Keeps this node's name and addresses current in the member directory (they may change between starts). */
  private async announceSelf(): Promise<void> {
    while (!this.closed) {
      const known = this.state.members.get(this.id)
      const info = this.info()
      if (known && known.name === info.name && known.api === info.api && sameAddrs(known.addrs, info.addrs)) return
      if (known) {
        try {
          await this.proposer.propose({ type: 'memberInfo', id: this.id, info }, { timeoutMs: 5_000 })
          continue
        } catch (err) {
          this.cfg.log.debug({ err }, 'announcing this node failed; retrying')
        }
      }
      await sleep(500)
    }
  }

  private logLeadershipAndMembership(): void {
    const log = this.cfg.log
    this.driver.on((e) => {
      if (e.type === 'leaderChanged') {
        const leader = e.leader ? (this.state.members.get(e.leader)?.name ?? e.leader) : '<none>'
        log.info({ leader: e.leader, role: e.role, term: this.driver.status().term }, `leader is now ${leader}${e.leader === this.id ? ' (this node)' : ''}`)
      } else if (e.type === 'confChanged') {
        const who = this.state.members.get(e.change.node)?.name ?? e.change.node
        log.info({ change: e.change.type, node: e.change.node, voters: e.conf.voters.length, learners: e.conf.learners.length, index: e.index }, `membership: ${e.change.type} ${who}`)
      } else if (e.type === 'fatal') {
        log.fatal({ err: e.error }, 'the Raft loop failed; stopping')
        void this.close().then(() => process.exit(1))
      }
    })
  }

  private closed = false

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.membership.stop()
    await this.services?.stop().catch(() => undefined)
    await this.orchestration?.stop().catch(() => undefined)
    await this.api.stop().catch(() => undefined)
    await this.driver.stop()
    await this.mesh.stop().catch(() => undefined)
    await this.storage.close()
  }

  /** Marks the data dir as no longer a member's, after `agent leave` removed this node. */
  async markLeft(): Promise<void> {
    await writeClusterFile(this.paths, { ...this.file, left: true })
    this.emit('left')
  }
}

/** Keeps the mesh's peer list equal to the member directory. */
class PeerSync {
  private known = new Map<NodeId, string>()
  constructor(
    private readonly self: NodeId,
    private readonly mesh: Mesh,
    private readonly state: ClusterState,
  ) {}

  sync(): void {
    const next = new Map<NodeId, string>()
    for (const m of this.state.members.all()) {
      if (m.id === this.self || m.addrs.length === 0) continue
      const key = m.addrs.join(',')
      next.set(m.id, key)
      if (this.known.get(m.id) !== key) this.mesh.addPeer(m.id, m.addrs)
    }
    for (const id of this.known.keys()) if (!next.has(id)) this.mesh.removePeer(id)
    this.known = next
  }
}

function selfInfo(cfg: AgentConfig, mesh: Mesh, api: HostPort): MemberInfo {
  return { name: cfg.name, addrs: mesh.addresses(), api: formatHostPort(api) }
}

/** Not a wildcard, not a name; IPv4 only, as a socket bound to one family cannot reach peers of the other. */
function dialsFromListenAddress(host: string): boolean {
  return isIP(host) === 4 && host !== '0.0.0.0'
}

function sameAddrs(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

function checkedToken(token: string): string {
  try {
    parseJoinToken(token)
  } catch (err) {
    throw new StartupError(`${(err as Error).message}. Copy the token again from \`agent token\` on a member`)
  }
  return token.trim()
}

async function openStorage(dir: string): Promise<LevelStorage> {
  return LevelStorage.open(dir).catch((err: Error & { cause?: Error & { code?: string } }) => {
    if (err.name === 'CorruptStoreError') throw new StartupError(err.message)
    if (err.cause?.code === 'LEVEL_LOCKED') throw new StartupError(`another agent is using this data dir (its Raft log ${dir} is locked). Stop that agent, or give this one its own --data-dir`)
    throw new StartupError(`cannot open the Raft log in ${dir}: ${err.cause ? `${err.message}: ${err.cause.message}` : err.message}`)
  })
}
