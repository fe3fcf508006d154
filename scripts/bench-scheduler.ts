// Measures schedule(): place --pods pods on --nodes simulated nodes with mixed requests, selectors,
// affinities, taints and host ports, built from --seed. Prints placements/s (median of --runs runs)
// and then verifies the result: no over-commit, and every placement passes the filters again.
// Usage: npm run bench:sched -- --help
import { performance } from 'node:perf_hooks'
import { randInt, type Rand, seededRand } from '../src/raft/rand.js'
import { schedule } from '../src/scheduler/schedule.js'
import type { SchedNode, SchedPod, ScheduleInput, ScheduleResult } from '../src/scheduler/types.js'
import { verifyPlacements } from '../src/scheduler/verify.js'
import { emitFigures, jsonMode } from './lib/bench-json.js'
import { JSON_FLAG, scriptFlags } from './lib/script-flags.js'
import { median } from './lib/stats.js'

/** Human lines: stdout, or stderr when stdout carries --json's figures. */
const say = jsonMode ? console.error : console.log

const GiB = 1024 ** 3
const MiB = 1024 ** 2
const ZONES = ['z-a', 'z-b', 'z-c', 'z-d', 'z-e']

function pick<T>(rand: Rand, xs: readonly T[]): T {
  return xs[randInt(rand, 0, xs.length)] as T
}

function makeNode(rand: Rand, i: number): SchedNode {
  const name = `node-${String(i).padStart(5, '0')}`
  const gpu = rand() < 0.05
  const r = rand()
  return {
    name,
    labels: {
      'kubernetes.io/hostname': name,
      'topology.kubernetes.io/zone': pick(rand, ZONES),
      disktype: rand() < 0.5 ? 'ssd' : 'hdd',
      ...(gpu ? { gpu: 'true' } : {}),
      generation: String(randInt(rand, 1, 6)),
    },
    allocatable: { cpuMillis: pick(rand, [8000, 16000, 32000, 64000]), memoryBytes: pick(rand, [32, 64, 128, 256]) * GiB, pods: 110 },
    unschedulable: r < 0.01,
    ready: !(r >= 0.01 && r < 0.02),
    taints: gpu
      ? [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]
      : rand() < 0.02
        ? [{ key: 'maintenance', effect: 'PreferNoSchedule' }]
        : [],
  }
}

type Template = Omit<SchedPod, 'uid' | 'name'>

function makeTemplate(rand: Rand, k: number): Template {
  const namespace = `ns-${k % 10}`
  const app = `app-${k}`
  const base: Template = {
    namespace,
    owner: `deployment/${namespace}/${app}`,
    labels: { app, tier: pick(rand, ['web', 'api', 'worker', 'db']) },
    requests: { cpuMillis: pick(rand, [100, 250, 500, 1000, 2000]), memoryBytes: pick(rand, [128, 256, 512, 1024, 2048]) * MiB },
    nodeSelector: {},
    hostPorts: [],
    tolerations: [],
    ...(rand() < 0.1 ? { strategy: 'binpack' as const } : {}),
  }
  const r = rand()
  const self = { labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' }
  if (r < 0.2) return { ...base, nodeSelector: { disktype: 'ssd' } }
  if (r < 0.25) return { ...base, nodeAffinity: { required: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [ZONES[k % 5] as string, ZONES[(k + 1) % 5] as string] }] }] } }
  if (r < 0.3) return { ...base, nodeAffinity: { preferred: [{ weight: 50, preference: { matchExpressions: [{ key: 'generation', operator: 'Gt', values: ['3'] }] } }] } }
  if (r < 0.35) return { ...base, podAntiAffinity: { required: [self] } }
  if (r < 0.4) return { ...base, podAntiAffinity: { preferred: [{ weight: 10, podAffinityTerm: self }] } }
  if (r < 0.42) return { ...base, hostPorts: [{ hostPort: 9000 + (k % 50), protocol: 'TCP' }] }
  if (r < 0.43) return { ...base, nodeSelector: { gpu: 'true' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }
  return base
}

export function makeInput(seed: number, nodeCount: number, podCount: number, pct?: number): ScheduleInput {
  const rand = seededRand(seed)
  const nodes = Array.from({ length: nodeCount }, (_, i) => makeNode(rand, i))
  const replicas = 50
  const templates = Array.from({ length: Math.ceil(podCount / replicas) }, (_, k) => makeTemplate(rand, k))
  const pending: SchedPod[] = []
  for (let i = 0; i < podCount; i++) {
    const k = i % templates.length
    pending.push({ ...(templates[k] as Template), uid: `pod-${i}`, name: `app-${k}-${Math.floor(i / templates.length)}` })
  }
  return { nodes, placed: [], pending, seed, ...(pct !== undefined ? { options: { percentageOfNodesToScore: pct } } : {}) }
}

function main(): void {
  const { pods, nodes, runs, seed, pct } = scriptFlags('bench:sched', 'Placements per second of schedule() on simulated nodes and pods built from a seed, then verified.', {
    pods: { type: 'count', default: 100_000, help: 'pods to place' },
    nodes: { type: 'count', default: 5_000, help: 'simulated nodes' },
    runs: { type: 'count', default: 5, help: 'runs the figure is the median of' },
    seed: { type: 'count', default: 1, min: 0, help: 'seed of the nodes and pods' },
    pct: { type: 'count', min: 1, help: 'percentageOfNodesToScore (default: the scheduler\'s own)' },
    ...JSON_FLAG,
  })
  const input = makeInput(seed, nodes, pods, pct)
  // Wall-clock and CPU-time rates: on a shared machine the CPU time of this (single-threaded)
  // process is the better measure of one core's throughput.
  const wall: number[] = []
  const cpu: number[] = []
  let result: ScheduleResult | undefined
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    result = schedule(input)
    const c = process.cpuUsage(c0)
    const seconds = (performance.now() - t0) / 1000
    const cpuSeconds = (c.user + c.system) / 1e6
    wall.push(result.placements.length / seconds)
    cpu.push(result.placements.length / cpuSeconds)
    say(
      `run ${r + 1}/${runs}: ${result.placements.length} placed, ${result.unschedulable.length} unschedulable in ` +
        `${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s cpu: ${Math.round(wall[r]!)} placements/s (${Math.round(cpu[r]!)} per cpu-second)`,
    )
  }
  say(
    `seed ${seed}, ${nodes} nodes, ${pods} pods, ${runs} runs: median ${Math.round(median(wall))} placements/s ` +
      `(${Math.round(median(cpu))} per cpu-second)`,
  )
  if (result === undefined) return
  const problems = verifyPlacements(input, result)
  if (problems.length > 0) {
    console.error(`verification FAILED (${problems.length} problems), first ones:\n  ${problems.slice(0, 10).join('\n  ')}`)
    process.exitCode = 1
  } else {
    say('verified: no over-commit, every placement passes every filter')
  }
  emitFigures('sched', { placementsPerSec: Math.round(median(wall)), placementsPerCpuSec: Math.round(median(cpu)), verificationProblems: problems.length })
}

main()
