import type { NodeId } from '../types.js'
import type { Cluster } from './cluster.js'
import { describeChange } from './describe.js'
import type { MembershipLimits } from './membership.js'
import { chooseConfChange } from './membership.js'
import type { NetworkConditions } from './network.js'
import { HEALED, randomPartition } from './partition.js'
import type { Rng } from './rng.js'
import type { CrashPoint } from './sim-node.js'

/** Chances per tick of each fault while the fault phase lasts. */
export interface FaultRates {
  readonly partition: number
  readonly heal: number
  readonly crash: number
  readonly restart: number
  readonly snapshot: number
  readonly confChange: number
  readonly transfer: number
  /** The network's delay, drop, duplicate and reorder rates are redrawn. */
  readonly weather: number
  readonly maxDropRate: number
  readonly maxDuplicateRate: number
  readonly maxReorderRate: number
}

export const DEFAULT_FAULTS: FaultRates = {
  partition: 0.02,
  heal: 0.04,
  crash: 0.012,
  restart: 0.05,
  snapshot: 0.03,
  confChange: 0.02,
  transfer: 0.005,
  weather: 0.01,
  maxDropRate: 0.1,
  maxDuplicateRate: 0.05,
  maxReorderRate: 0.2,
}

export const NO_FAULTS: FaultRates = {
  partition: 0,
  heal: 0,
  crash: 0,
  restart: 0,
  snapshot: 0,
  confChange: 0,
  transfer: 0,
  weather: 0,
  maxDropRate: 0,
  maxDuplicateRate: 0,
  maxReorderRate: 0,
}

const CRASH_POINTS: readonly (CrashPoint | undefined)[] = ['beforePersist', 'afterPersist', 'afterSend', undefined]

/** Draws the faults of the fault phase from the seed and inflicts them on the cluster, one tick at a time. */
export class FaultScheduler {
  #spare = 0

  constructor(
    readonly rng: Rng,
    readonly cluster: Cluster,
    readonly rates: FaultRates,
    readonly limits: MembershipLimits & { readonly maxDown: number; readonly firstSpare: number },
  ) {}

  onTick(): void {
    const { rng, rates, cluster } = this
    const partitioned = cluster.network.partition !== HEALED
    if (!partitioned && rng.chance(rates.partition)) this.partition()
    if (partitioned && rng.chance(rates.heal)) this.heal()
    if (rng.chance(rates.crash)) this.crash()
    if (rng.chance(rates.restart)) this.restart()
    if (rng.chance(rates.snapshot)) this.snapshot()
    if (rng.chance(rates.confChange)) this.confChange()
    if (rng.chance(rates.transfer)) this.transfer()
    if (rng.chance(rates.weather)) this.weather()
  }

  partition(): void {
    const { cluster } = this
    const ids = cluster.nodes().map((n) => n.id)
    const p = randomPartition(this.rng, ids, cluster.leader()?.id)
    cluster.network.partition = p
    cluster.stats.partitions++
    cluster.trace.add(`partition ${p.kind}: ${p.description}`)
  }

  heal(): void {
    this.cluster.network.partition = HEALED
    this.cluster.trace.add('network healed')
  }

  crash(): void {
    const up = this.cluster.upNodes().filter((n) => !n.crashArmed)
    if (this.cluster.downNodes().length >= this.limits.maxDown || up.length === 0) return
    this.cluster.crash(this.rng.pick(up), this.rng.pick(CRASH_POINTS))
  }

  restart(): void {
    const down = this.cluster.downNodes()
    if (down.length > 0) this.cluster.restart(this.rng.pick(down))
  }

  snapshot(): void {
    const up = this.cluster.upNodes()
    if (up.length === 0) return
    const node = this.rng.pick(up)
    const snap = node.takeSnapshot(this.rng.int(0, 6))
    if (snap === undefined) return
    this.cluster.stats.snapshotsTaken++
    this.cluster.trace.add(`${node.id} snapshots at index ${snap.metadata.index} and compacts its log`)
  }

  confChange(): void {
    const leader = this.cluster.leader()
    const st = leader?.call('status()', (r) => r.status())
    if (leader === undefined || st === undefined) return
    const cc = chooseConfChange(this.rng, st.conf, this.limits, () => this.#freshId())
    if (cc === undefined) return
    const r = leader.call('proposeConfChange()', (raw) => raw.proposeConfChange(cc))
    if (r === undefined) return
    this.cluster.trace.add(`${leader.id} proposes ${describeChange(cc)}: ${r.ok ? `index ${r.index}` : r.reason}`)
    if (r.ok && cc.type === 'addLearner' && this.cluster.node(cc.node) === undefined) this.cluster.addNode(cc.node)
    leader.processReady()
  }

  transfer(): void {
    const leader = this.cluster.leader()
    const st = leader?.call('status()', (r) => r.status())
    if (leader === undefined || st === undefined) return
    const others = st.conf.voters.filter((v) => v !== leader.id)
    if (others.length === 0) return
    const to = this.rng.pick(others)
    const r = leader.call('transferLeadership()', (raw) => raw.transferLeadership(to))
    this.cluster.trace.add(`${leader.id} transfers leadership to ${to}: ${r?.ok === true ? 'started' : (r?.reason ?? 'failed')}`)
    leader.processReady()
  }

  weather(): void {
    const c = drawConditions(this.rng, this.rates)
    this.cluster.network.conditions = c
    this.cluster.trace.add(`network: ${describeConditions(c)}`)
  }

  #freshId(): NodeId {
    return `n${this.limits.firstSpare + this.#spare++}`
  }
}

export function drawConditions(rng: Rng, rates: FaultRates): NetworkConditions {
  const maxDelay = rng.int(2, 9)
  return {
    minDelay: 1,
    maxDelay,
    reorderRate: rng.next() * rates.maxReorderRate,
    reorderDelay: rng.int(2, 4 * maxDelay),
    dropRate: rng.next() * rates.maxDropRate,
    duplicateRate: rng.next() * rates.maxDuplicateRate,
  }
}

export function describeConditions(c: NetworkConditions): string {
  const pct = (x: number): string => `${Math.round(x * 100)}%`
  return `delay ${c.minDelay}-${c.maxDelay} steps, drop ${pct(c.dropRate)}, duplicate ${pct(c.duplicateRate)}, reorder ${pct(c.reorderRate)}`
}
