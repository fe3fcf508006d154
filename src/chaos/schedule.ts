// The fault schedule, drawn from the run's seed alone: the same seed gives the same schedule,
// so a failing run can be replayed (the leader is resolved when a fault starts, not here).
import { randInt, seededRand, type Rand } from '../raft/rand.js'
import { NEMESES, type Fault, type NemesisKind, type NodeRef, type PartitionShape, type ScheduledFault } from './faults.js'

export interface ScheduleOptions {
  readonly seed: number
  readonly nodes: number
  /** Workload length in ms; faults start and heal inside it. */
  readonly durationMs: number
  readonly nemeses?: readonly NemesisKind[]
  /** Fault-free time at the start, in ms. Default 2000. */
  readonly warmupMs?: number
  /** Fault-free time at the end, in ms, so that the cluster recovers under load. Default 4000. */
  readonly cooldownMs?: number
  /** Quiet time between two faults: [min, max) ms. Default [1000, 3000). */
  readonly gapMs?: readonly [number, number]
  /** How long a fault lasts: [min, max) ms. Default [2000, 6000). */
  readonly faultMs?: readonly [number, number]
}

/** Faults one at a time, each healed before the next; none with fewer nodes than it needs. */
export function generateSchedule(opts: ScheduleOptions): ScheduledFault[] {
  const rand = seededRand(opts.seed)
  const kinds = usableNemeses(opts.nemeses ?? NEMESES, opts.nodes)
  const [gapLo, gapHi] = opts.gapMs ?? [1000, 3000]
  const [faultLo, faultHi] = opts.faultMs ?? [2000, 6000]
  const end = opts.durationMs - (opts.cooldownMs ?? 4000)
  const out: ScheduledFault[] = []
  if (kinds.length === 0) return out
  let t = opts.warmupMs ?? 2000
  // Bounded: each round advances t by at least gapLo + faultLo > 0.
  while (out.length < 10_000) {
    const at = t + randInt(rand, gapLo, gapHi)
    const duration = randInt(rand, faultLo, faultHi)
    if (at + duration > end) break
    const kind = kinds[randInt(rand, 0, kinds.length)]!
    out.push({ id: out.length + 1, at, duration, fault: drawFault(rand, kind, opts.nodes) })
    t = at + duration
  }
  return out
}

/** Membership changes and partitions need at least 3 nodes to leave a quorum standing. */
export function usableNemeses(kinds: readonly NemesisKind[], nodes: number): NemesisKind[] {
  return kinds.filter((k) => nodes >= 3 || k === 'kill' || k === 'pause')
}

export function shapesFor(nodes: number): PartitionShape[] {
  return nodes >= 4 ? ['leader', 'halves', 'bridge', 'ring', 'oneway'] : ['leader', 'halves', 'bridge', 'oneway']
}

function drawFault(rand: Rand, kind: NemesisKind, nodes: number): Fault {
  switch (kind) {
    case 'kill':
    case 'pause':
    case 'membership':
      return { kind, node: drawNode(rand, nodes) }
    case 'partition': {
      const shapes = shapesFor(nodes)
      return { kind, shape: shapes[randInt(rand, 0, shapes.length)]!, order: permutation(rand, nodes) }
    }
  }
}

/** The leader a third of the time: faults on the leader are the ones that exercise failover. */
function drawNode(rand: Rand, nodes: number): NodeRef {
  return rand() < 1 / 3 ? { leader: true } : { index: randInt(rand, 0, nodes) }
}

export function permutation(rand: Rand, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = randInt(rand, 0, i + 1)
    ;[p[i], p[j]] = [p[j]!, p[i]!]
  }
  return p
}
