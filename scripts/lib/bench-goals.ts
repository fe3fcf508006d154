// The figures `npm run bench` reports: which benchmark script measures each (its --json key), the
// goal from the project's issues, and the reference figures those issues give for etcd, Docker Swarm,
// Nomad and Kubernetes on this machine or from their published numbers.

export interface Goal {
  readonly bench: string
  /** The key in the script's --json object. */
  readonly key: string
  readonly label: string
  readonly unit: string
  /** Pass when `measured op value`. */
  readonly op: '>=' | '<='
  readonly value: number
  readonly reference: string
}

export interface BenchScript {
  readonly name: string
  /** Compiled beside scripts/bench.js. */
  readonly file: string
  /** The flag that sets how many runs (or trials) each figure is the median of. */
  readonly runsFlag: '--runs' | '--trials'
  /** Short durations for `--quick`: proves the script works, not its figures. */
  readonly quick: readonly string[]
}

export const BENCHES: readonly BenchScript[] = [
  { name: 'raft', file: 'bench-raft.js', runsFlag: '--runs', quick: ['--runs', '1', '--seconds', '1'] },
  { name: 'mesh', file: 'bench-mesh.js', runsFlag: '--runs', quick: ['--runs', '1', '--seconds', '1', '--trials', '2'] },
  { name: 'sched', file: 'bench-scheduler.js', runsFlag: '--runs', quick: ['--runs', '1', '--pods', '20000', '--nodes', '1000'] },
  { name: 'api', file: 'bench-api.js', runsFlag: '--runs', quick: ['--runs', '1', '--seconds', '1', '--warmup', '1'] },
  { name: 'failover', file: 'bench-failover.js', runsFlag: '--trials', quick: ['--trials', '1'] },
  { name: 'runtime', file: 'bench-runtime.js', runsFlag: '--runs', quick: ['--runs', '1', '--pods', '5'] },
  { name: 'rollout', file: 'bench-rollout.js', runsFlag: '--runs', quick: ['--runs', '1'] },
]

export const GOALS: readonly Goal[] = [
  { bench: 'raft', key: 'commitsPerSec64', label: 'Raft commits, 64 proposers (in-process, fsync)', unit: '/s', op: '>=', value: 20_000, reference: 'etcd 3.4 here, 64 clients via HTTP: ~4,600/s' },
  { bench: 'raft', key: 'p50Ms1', label: 'Raft commit p50, 1 proposer', unit: 'ms', op: '<=', value: 1, reference: 'etcd 3.4 here: 1.1 ms' },
  { bench: 'mesh', key: 'failoverMs', label: 'leader failover: kill -9 until the next write commits', unit: 'ms', op: '<=', value: 1_000, reference: 'etcd 3.4 defaults here: ~1,500 ms' },
  { bench: 'mesh', key: 'meshCommitsPerSec64', label: 'replicated commits over the mesh, 64 proposers', unit: '/s', op: '>=', value: 8_000, reference: '' },
  { bench: 'mesh', key: 'idleRssMb', label: 'idle agent resident memory', unit: 'MB', op: '<=', value: 80, reference: '' },
  { bench: 'sched', key: 'placementsPerSec', label: 'placements, 100,000 pods on 5,000 nodes, one core', unit: '/s', op: '>=', value: 10_000, reference: 'Nomad C1M: 3,750/s; kube-scheduler goal: 100/s' },
  { bench: 'api', key: 'writesPerSec64', label: 'ConfigMap writes through the API, 64 clients', unit: '/s', op: '>=', value: 5_000, reference: 'etcd 3.4 here: ~4,600/s' },
  { bench: 'api', key: 'writeP50Ms1', label: 'ConfigMap write p50, 1 client', unit: 'ms', op: '<=', value: 1.2, reference: 'etcd 3.4 here: 1.1 ms' },
  { bench: 'api', key: 'readsPerSec64', label: 'linearizable reads, 64 clients', unit: '/s', op: '>=', value: 10_000, reference: '' },
  { bench: 'failover', key: 'nodeLossMs', label: 'node loss: kill -9 until its replicas run elsewhere', unit: 'ms', op: '<=', value: 5_000, reference: 'Swarm defaults: ~15 s; Kubernetes: 5-6 min' },
  { bench: 'runtime', key: 'readyMs', label: 'apply until 10 replicas Ready (Docker)', unit: 'ms', op: '<=', value: 2_500, reference: 'Docker Swarm here: 2,800 ms' },
  { bench: 'runtime', key: 'restartMs', label: 'killed container running again (first restart)', unit: 'ms', op: '<=', value: 1_000, reference: 'Swarm here: 6,700 ms' },
  { bench: 'runtime', key: 'agentRssMb', label: 'agent resident memory with 30 pods', unit: 'MB', op: '<=', value: 100, reference: '' },
  { bench: 'rollout', key: 'rolloutMs', label: 'rolling update of 10 replicas (maxSurge 2, maxUnavailable 0)', unit: 'ms', op: '<=', value: 15_000, reference: 'Swarm here: 70 s' },
  { bench: 'rollout', key: 'failedRequests', label: 'failed requests during the rolling update', unit: '', op: '<=', value: 0, reference: '' },
  { bench: 'rollout', key: 'meshAddedP50Ms', label: 'latency the mesh adds, p50', unit: 'ms', op: '<=', value: 0.3, reference: '' },
]

export function passes(g: Goal, measured: number): boolean {
  return g.op === '>=' ? measured >= g.value : measured <= g.value
}

export function formatNumber(n: number, unit: string): string {
  const text = Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : String(Number(n.toFixed(3)))
  return unit === '' ? text : unit === '/s' ? `${text}/s` : `${text} ${unit}`
}

export function formatGoal(g: Goal): string {
  return `${g.op === '>=' ? '≥' : '≤'} ${formatNumber(g.value, g.unit)}`
}
