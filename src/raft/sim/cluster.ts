import type { RaftEvent } from '../api.js'
import type { ConfState, Entry, Message, NodeId, ReadState } from '../types.js'
import type { Monitor } from './checks/monitor.js'
import type { Clock } from './clock.js'
import type { Core } from './core.js'
import { describeChange, describeMessage } from './describe.js'
import { Network } from './network.js'
import type { Rng } from './rng.js'
import type { CrashPoint, NodeEnv, RaftTuning } from './sim-node.js'
import { SimNode } from './sim-node.js'
import type { Applied } from './state-machine.js'
import { describeConf } from './state-machine.js'
import type { Trace } from './trace.js'
import { Workload } from './workload.js'

const EMPTY_CONF: ConfState = { voters: [], learners: [] }

export interface ClusterStats {
  elections: number
  leaderChanges: number
  snapshotsSent: number
  snapshotChunks: number
  snapshotsTaken: number
  confChanges: number
  crashes: number
  restarts: number
  partitions: number
}

export interface ClusterDeps {
  readonly rng: Rng
  readonly clock: Clock
  readonly trace: Trace
  readonly monitor: Monitor
  readonly core: Core
  readonly tuning: RaftTuning
  readonly seed: number
  /** Trace every message and every role change. */
  readonly verbose: boolean
  readonly forgetfulDisks: boolean
}

/** The simulated nodes and the network between them, stepped one step at a time. */
export class Cluster implements NodeEnv {
  readonly stats: ClusterStats = {
    elections: 0,
    leaderChanges: 0,
    snapshotsSent: 0,
    snapshotChunks: 0,
    snapshotsTaken: 0,
    confChanges: 0,
    crashes: 0,
    restarts: 0,
    partitions: 0,
  }
  readonly network: Network
  readonly workload: Workload
  readonly core: Core
  readonly monitor: Monitor
  readonly tuning: RaftTuning
  readonly forgetfulDisks: boolean
  readonly #nodes = new Map<NodeId, SimNode>()
  readonly #retiring = new Set<NodeId>()
  readonly #confSeen = new Set<number>()
  #lastLeader: NodeId | undefined

  constructor(readonly deps: ClusterDeps) {
    this.core = deps.core
    this.monitor = deps.monitor
    this.tuning = deps.tuning
    this.forgetfulDisks = deps.forgetfulDisks
    this.network = new Network(deps.rng)
    this.workload = new Workload(deps.rng, this, deps.monitor, deps.trace, deps.clock, deps.seed)
  }

  get trace(): Trace {
    return this.deps.trace
  }

  node(id: NodeId): SimNode | undefined {
    return this.#nodes.get(id)
  }

  nodes(): SimNode[] {
    return [...this.#nodes.values()]
  }

  upNodes(): SimNode[] {
    return this.nodes().filter((n) => n.up)
  }

  downNodes(): SimNode[] {
    return this.nodes().filter((n) => !n.up)
  }

  /** The up node that believes it leads, in the highest term. */
  leader(): SimNode | undefined {
    let best: SimNode | undefined
    let bestTerm = -1
    for (const n of this.#nodes.values()) {
      const st = n.call('status()', (r) => r.status())
      if (st !== undefined && st.role === 'leader' && st.term > bestTerm) {
        best = n
        bestTerm = st.term
      }
    }
    return best
  }

  /** Creates and boots a node: the founding node (bootstrapped), or one about to join (empty disk). */
  addNode(id: NodeId, founder = false): SimNode {
    const node = new SimNode(id, EMPTY_CONF, this)
    this.#nodes.set(id, node)
    if (founder) node.bootstrap()
    node.start(this.deps.rng.fork())
    node.processReady()
    return node
  }

  /** Crashes the node now, or arms a crash at a point of its next Ready (it strikes at the end of the step otherwise). */
  crash(node: SimNode, point?: CrashPoint): void {
    this.stats.crashes++
    this.trace.add(`crash ${node.id}${point === undefined ? '' : ` (${point})`}`)
    if (point === undefined) node.crash()
    else node.armCrash(point)
  }

  restart(node: SimNode): void {
    const img = node.disk.image
    this.trace.add(`restart ${node.id} (disk: snapshot ${img.snapshot?.metadata.index ?? 0}, ${img.entries.length} entries, term ${img.hardState.term})`)
    this.stats.restarts++
    node.start(this.deps.rng.fork())
    node.processReady()
  }

  /** One step: nodes tick on tick boundaries, then the messages due now are delivered. */
  step(): void {
    const { clock } = this.deps
    this.trace.at(clock.step)
    if (clock.onTick) for (const n of this.upNodes()) if (this.monitor.ok) n.tick()
    for (const m of this.network.due(clock.step)) if (this.monitor.ok) this.#deliver(m)
    for (const n of this.#nodes.values()) if (n.up && n.crashArmed) n.crash()
    for (const id of this.#retiring) this.#retire(id)
    this.#retiring.clear()
  }

  // ---- NodeEnv --------------------------------------------------------------

  send(m: Message): void {
    if (m.type === 'snap') {
      this.stats.snapshotChunks++
      if (m.offset === 0) this.stats.snapshotsSent++
    }
    this.network.send(m, this.deps.clock.step)
  }

  applied(node: SimNode, e: Entry, what: Applied): void {
    this.workload.applied(node, e, what)
    if (what.change === undefined || this.#confSeen.has(e.index)) return
    this.#confSeen.add(e.index)
    this.stats.confChanges++
    this.trace.add(`conf change ${describeChange(what.change)} committed at index ${e.index}: ${describeConf(node.sm.conf)}`)
    if (what.change.type === 'remove') this.#retiring.add(what.change.node)
  }

  reset(node: SimNode): void {
    if (!node.up) return this.workload.crashed(node)
    this.trace.add(`${node.id} installs a snapshot at index ${node.sm.index}`)
    this.workload.restored(node, node.sm.index)
  }

  readState(node: SimNode, rs: ReadState): void {
    this.workload.readState(node, rs)
  }

  event(node: SimNode, ev: RaftEvent): void {
    const line = this.#describeEvent(node, ev)
    if (line !== undefined) this.trace.add(line)
  }

  #describeEvent(node: SimNode, ev: RaftEvent): string | undefined {
    switch (ev.type) {
      case 'becameLeader':
        this.stats.elections++
        if (this.#lastLeader !== node.id) this.stats.leaderChanges++
        this.#lastLeader = node.id
        this.monitor.liveness.leaderSeen(this.deps.clock.tick)
        return `${node.id} becomes leader term ${ev.term}`
      case 'becameCandidate':
        return `${node.id} campaigns term ${ev.term}`
      case 'stepDown':
        return `${node.id} steps down in term ${ev.term} (${ev.reason})`
      case 'confChanged':
        return this.deps.verbose ? `${node.id} applies ${describeChange(ev.change)} at ${ev.index}` : undefined
      case 'becameFollower':
      case 'becamePreCandidate':
        return this.deps.verbose ? `${node.id} ${ev.type} term ${ev.term}${ev.leader === '' ? '' : ` leader ${ev.leader}`}` : undefined
    }
  }

  #deliver(m: Message): void {
    const to = this.#nodes.get(m.to)
    if (to === undefined || !to.up) return this.#unreachable(m)
    if (!this.network.passes(m)) return this.#unreachable(m)
    this.network.stats.delivered++
    if (this.deps.verbose) this.trace.add(describeMessage(m))
    to.step(m)
  }

  /** Sometimes the sender's transport notices the peer is unreachable and tells the core. */
  #unreachable(m: Message): void {
    const from = this.#nodes.get(m.from)
    if (from === undefined || !from.up || !this.deps.rng.chance(0.2)) return
    from.call('reportUnreachable()', (r) => r.reportUnreachable(m.to))
    from.processReady()
  }

  /** A removed node is shut down for good once its removal commits; its id is never reused. */
  #retire(id: NodeId): void {
    const node = this.#nodes.get(id)
    if (node === undefined) return
    this.trace.add(`retire ${id} (removed from the cluster)`)
    if (node.up) node.crash()
    this.#nodes.delete(id)
  }
}
