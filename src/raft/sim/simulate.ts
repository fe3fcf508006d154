import type { NodeId } from '../types.js'
import { Monitor } from './checks/monitor.js'
import { Clock } from './clock.js'
import { Cluster } from './cluster.js'
import type { ClusterStats } from './cluster.js'
import type { Core } from './core.js'
import type { FaultRates } from './faults.js'
import { DEFAULT_FAULTS, describeConditions, drawConditions, FaultScheduler, NO_FAULTS } from './faults.js'
import type { NetworkStats } from './network.js'
import { CALM } from './network.js'
import { HEALED } from './partition.js'
import { Rng } from './rng.js'
import type { RaftTuning } from './sim-node.js'
import { Trace } from './trace.js'
import type { Violation } from './violation.js'
import { Check } from './violation.js'
import type { WorkloadStats } from './workload.js'

export type ClusterSize = 3 | 5 | 7

export interface SimOptions {
  readonly seed: number
  /** Drawn from the seed when not given. */
  readonly nodes?: ClusterSize
  /** Steps of the fault phase (a step is 1/STEPS_PER_TICK of a tick). Default 1600 (400 ticks). */
  readonly steps?: number
  /** false: no faults at all; true or omitted: the defaults; or some rates overridden. */
  readonly faults?: boolean | Partial<FaultRates>
  readonly tuning?: Partial<RaftTuning>
  /** Trace every message and role change. */
  readonly verbose?: boolean
  /** The Raft implementation under test. */
  readonly core: Core
  /** Disks that lose their last fsynced Ready in a crash: a broken environment, to prove the checks catch it. */
  readonly forgetfulDisks?: boolean
}

export interface SimStats extends ClusterStats, WorkloadStats {
  nodes: number
  steps: number
  ticks: number
  readsChecked: number
  network: NetworkStats
  /** Ticks from the heal to the first leader seen, and to the first commit. */
  healToLeader: number | undefined
  healToCommit: number | undefined
}

export interface SimResult {
  readonly ok: boolean
  readonly seed: number
  readonly violations: readonly Violation[]
  readonly trace: Trace
  readonly stats: SimStats
}

export const STEPS_PER_TICK = 4
export const DEFAULT_STEPS = 1600
/** After the heal: a leader within LEADER_BOUND election timeouts, a commit within COMMIT_BOUND. */
export const LEADER_BOUND = 10
export const COMMIT_BOUND = 20
/** Then every member must have applied everything within this many election timeouts. */
export const SETTLE_BOUND = 20
/** Forming the cluster (each join) takes at most this many election timeouts per node. */
export const FORM_BOUND = 10

interface Run {
  readonly size: ClusterSize
  readonly rng: Rng
  readonly clock: Clock
  readonly trace: Trace
  readonly monitor: Monitor
  readonly cluster: Cluster
  readonly tuning: RaftTuning
}

/** One seeded run: a fault phase, then a heal, then liveness and convergence, with every check after every step. */
export function simulate(opts: SimOptions): SimResult {
  const run = setup(opts)
  const { cluster, monitor } = run
  formPhase(run)
  if (monitor.ok) faultPhase(run, opts)
  if (monitor.ok) healPhase(run)
  if (monitor.ok) settlePhase(run)
  if (monitor.ok) finalChecks(run)
  return { ok: monitor.ok, seed: opts.seed, violations: monitor.violations, trace: run.trace, stats: collectStats(run, cluster) }
}

function setup(opts: SimOptions): Run {
  const rng = new Rng(opts.seed)
  // Always drawn, so that giving --nodes does not shift the rest of the run's randomness.
  const drawn = rng.pick<ClusterSize>([3, 5, 7])
  const size = opts.nodes ?? drawn
  const tuning: RaftTuning = {
    electionTick: 10,
    heartbeatTick: 1,
    maxSizePerMsg: rng.pick([64, 256, 4096]),
    maxInflightMsgs: rng.pick([2, 8, 256]),
    maxSnapshotChunkBytes: rng.pick([128, 512, 4096]),
    ...opts.tuning,
  }
  const clock = new Clock(STEPS_PER_TICK)
  const trace = new Trace()
  const et = tuning.electionTick
  const monitor = new Monitor(trace, () => clock.step, { leaderTicks: LEADER_BOUND * et, commitTicks: COMMIT_BOUND * et })
  const cluster = new Cluster({ rng, clock, trace, monitor, core: opts.core, tuning, seed: opts.seed, verbose: opts.verbose ?? false, forgetfulDisks: opts.forgetfulDisks ?? false })
  trace.add(`seed ${opts.seed}: ${size} voters, electionTick ${et}, maxSizePerMsg ${tuning.maxSizePerMsg}, maxInflightMsgs ${tuning.maxInflightMsgs}, snapshot chunks of ${tuning.maxSnapshotChunkBytes} bytes`)
  return { size, rng, clock, trace, monitor, cluster, tuning }
}

/**
 * The cluster forms the way podmesh clusters do: n1 bootstraps alone, then every other node joins as a voter,
 * one conf change at a time, on a calm network.
 */
function formPhase(run: Run): void {
  const { clock, cluster, monitor, trace, size, tuning } = run
  trace.add('n1 bootstraps the cluster')
  cluster.addNode('n1', true).call('campaign()', (r) => r.campaign())
  const deadline = FORM_BOUND * size * tuning.electionTick
  let next = 2
  while (monitor.ok) {
    if (clock.onTick) {
      const leader = cluster.leader()
      const st = leader?.call('status()', (r) => r.status())
      if (st !== undefined && st.conf.voters.length >= size) break
      if (clock.tick > deadline) {
        monitor.report(Check.liveness, `the cluster did not form within ${deadline} ticks (voters: ${st?.conf.voters.join(',') ?? 'no leader'})`)
        return
      }
      if (leader !== undefined && st !== undefined) {
        const id: NodeId = `n${next}`
        if (st.conf.voters.includes(id)) next++
        else if (leader.call('proposeConfChange()', (r) => r.proposeConfChange({ type: 'addVoter', node: id }))?.ok === true) {
          trace.add(`${leader.id} proposes addVoter ${id}`)
          if (cluster.node(id) === undefined) cluster.addNode(id)
          leader.processReady()
        }
      }
    }
    cluster.step()
    clock.step++
  }
  trace.at(clock.step)
  trace.add(`--- cluster formed: ${size} voters; faults begin ---`)
}

function faultRates(faults: SimOptions['faults']): FaultRates {
  if (faults === false) return NO_FAULTS
  if (faults === true || faults === undefined) return DEFAULT_FAULTS
  return { ...DEFAULT_FAULTS, ...faults }
}

function scaleRates(r: FaultRates, k: number): FaultRates {
  const s = (p: number): number => Math.min(0.5, p * k)
  return {
    ...r,
    partition: s(r.partition),
    crash: s(r.crash),
    snapshot: s(r.snapshot),
    confChange: s(r.confChange),
    transfer: s(r.transfer),
    weather: s(r.weather),
    maxDropRate: Math.min(0.3, r.maxDropRate * Math.sqrt(k)),
  }
}

function faultPhase(run: Run, opts: SimOptions): void {
  const { rng, clock, cluster, monitor } = run
  // Some seeds are calm, some are storms: the intensity scales every fault rate.
  const intensity = rng.pick([0.5, 1, 2, 4])
  const rates = scaleRates(faultRates(opts.faults), intensity)
  const size = cluster.nodes().length
  const faults = new FaultScheduler(rng, cluster, rates, {
    minVoters: 3,
    maxVoters: size + 2,
    maxMembers: size + 2,
    maxDown: Math.ceil(size / 2),
    firstSpare: size + 1,
  })
  if (opts.faults !== false) {
    cluster.network.conditions = drawConditions(rng, rates)
    run.trace.add(`fault intensity x${intensity}; network: ${describeConditions(cluster.network.conditions)}`)
  }
  const end = clock.step + (opts.steps ?? DEFAULT_STEPS)
  while (clock.step < end && monitor.ok) {
    if (clock.onTick) {
      faults.onTick()
      drive(run, 0.6, 0.1)
    }
    cluster.step()
    clock.step++
  }
}

/** Clients at work: a proposal and a read with these chances per tick. */
function drive(run: Run, proposeRate: number, readRate: number): void {
  const { rng, cluster } = run
  if (rng.chance(proposeRate)) cluster.workload.propose()
  if (rng.chance(readRate)) cluster.workload.read()
}

function healPhase(run: Run): void {
  const { clock, cluster, monitor, trace } = run
  trace.at(clock.step)
  trace.add('--- faults end: network healed, drops stop, every node restarts ---')
  cluster.network.partition = HEALED
  cluster.network.conditions = CALM
  for (const n of cluster.nodes()) {
    if (n.crashArmed) n.crash()
    if (!n.up) cluster.restart(n)
  }
  monitor.liveness.healed(clock.tick)
  cluster.workload.healedAtStep = clock.step
  while (monitor.ok && !monitor.liveness.satisfied) {
    if (clock.onTick) {
      if (cluster.leader() !== undefined) monitor.liveness.leaderSeen(clock.tick)
      monitor.report(Check.liveness, monitor.liveness.check(clock.tick))
      drive(run, 1, 0.1)
    }
    cluster.step()
    clock.step++
  }
}

/** Without new proposals, every member of the leader's configuration must apply everything committed. */
function settlePhase(run: Run): void {
  const { clock, cluster, monitor, tuning } = run
  const deadline = clock.tick + SETTLE_BOUND * tuning.electionTick
  let lag = lagging(cluster)
  while (monitor.ok && lag !== undefined) {
    if (clock.tick > deadline) {
      monitor.report(Check.liveness, `not converged ${SETTLE_BOUND * tuning.electionTick} ticks after the first commit since the heal: ${lag}`)
      return
    }
    cluster.step()
    clock.step++
    if (clock.onTick) lag = lagging(cluster)
  }
  run.trace.at(clock.step)
  run.trace.add('converged: every member applied every committed entry')
}

/** Why the cluster has not converged yet, or undefined when it has. */
function lagging(cluster: Cluster): string | undefined {
  const leader = cluster.leader()
  const st = leader?.call('status()', (r) => r.status())
  if (leader === undefined || st === undefined) return 'no leader'
  if (st.commit < st.lastIndex) return `${leader.id} has committed ${st.commit} of ${st.lastIndex}`
  for (const id of [...st.conf.voters, ...st.conf.learners]) {
    const n = cluster.node(id)
    if (n === undefined || !n.up) return `member ${id} is not running`
    if (n.sm.index < st.commit) return `${id} applied ${n.sm.index} of ${st.commit}`
  }
  return undefined
}

/** Durability: every survivor (a member of the final configuration) holds every acknowledged proposal. */
function finalChecks(run: Run): void {
  const { cluster, monitor } = run
  const st = cluster.leader()?.call('status()', (r) => r.status())
  if (st === undefined) return
  for (const id of [...st.conf.voters, ...st.conf.learners]) {
    const n = cluster.node(id)
    if (n !== undefined) monitor.report(Check.durability, monitor.durability.survivor(id, (p) => n.sm.has(p)))
  }
}

function collectStats(run: Run, cluster: Cluster): SimStats {
  const l = run.monitor.liveness.latency
  return {
    ...cluster.stats,
    ...cluster.workload.stats,
    nodes: run.size,
    steps: run.clock.step,
    ticks: run.clock.tick,
    readsChecked: run.monitor.reads.served,
    network: { ...cluster.network.stats },
    healToLeader: l.leader,
    healToCommit: l.commit,
  }
}
