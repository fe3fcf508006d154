import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { NetCounters } from '../../net/index.js'
import type { RaftStatus } from '../../raft/api.js'
import type { RaftCounters } from '../../raft/types.js'

/** What the metrics read at scrape time. */
export interface MetricsSources {
  raftStatus(): RaftStatus
  raftCounters(): RaftCounters
  netCounters(): NetCounters
  objects(): number
  watchers(): number
  /** The routing mesh's counts per service port (`namespace/name:port`). */
  meshPorts?(): ReadonlyMap<string, { readonly connections: number; readonly retries: number; readonly failures: number; readonly active: number }>
}

/** One Prometheus registry per agent (several agents may share a process in tests). */
export class AgentMetrics {
  readonly registry = new Registry()
  private readonly leaderChanges: Counter
  private readonly proposals: Histogram<'outcome'>
  private readonly requests: Histogram<'route' | 'method' | 'code'>

  constructor(src: MetricsSources) {
    const registers = [this.registry]
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read())
        },
      })
    gauge('podmesh_raft_term', 'The current Raft term.', () => src.raftStatus().term)
    gauge('podmesh_raft_commit_index', 'The highest log index known committed.', () => src.raftStatus().commit)
    gauge('podmesh_raft_applied_index', 'The highest log index applied to the cluster state.', () => src.raftStatus().applied)
    gauge('podmesh_raft_is_leader', '1 when this node is the leader, else 0.', () => (src.raftStatus().role === 'leader' ? 1 : 0))
    gauge('podmesh_objects', 'Objects in the cluster state.', () => src.objects())
    gauge('podmesh_api_watchers', 'Open watch streams.', () => src.watchers())
    this.leaderChanges = new Counter({ name: 'podmesh_raft_leader_changes_total', help: 'Times this node saw the leader change.', registers })
    this.proposals = new Histogram({
      name: 'podmesh_proposal_duration_seconds',
      help: 'Time from proposing a write on this node to its being applied here.',
      labelNames: ['outcome'],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    })
    this.requests = new Histogram({
      name: 'podmesh_api_request_duration_seconds',
      help: 'HTTP API requests by route, method and status code.',
      labelNames: ['route', 'method', 'code'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    })
    const mesh = (field: 'connections' | 'retries' | 'failures' | 'active') => () => new Map([...(src.meshPorts?.() ?? [])].map(([k, c]) => [k, c[field]]))
    byService('counter', 'podmesh_mesh_connections_total', 'Connections the routing mesh accepted, by service port.', registers, mesh('connections'))
    byService('counter', 'podmesh_mesh_retries_total', 'Further endpoints tried after one failed (refused, timed out, closed before answering).', registers, mesh('retries'))
    byService('counter', 'podmesh_mesh_failures_total', 'Connections closed because no endpoint answered.', registers, mesh('failures'))
    byService('gauge', 'podmesh_mesh_active_connections', 'Connections the routing mesh is forwarding now.', registers, mesh('active'))
    countersByReason('podmesh_net_dropped_frames_total', 'Inbound mesh frames dropped, by reason.', registers, () => src.netCounters().droppedFrames)
    countersByReason('podmesh_net_dropped_sends_total', 'Outbound Raft messages dropped before the wire, by reason.', registers, () => src.netCounters().droppedSends)
    countersByReason('podmesh_raft_dropped_messages_total', 'Raft messages the core ignored, by reason.', registers, () => {
      const c = src.raftCounters()
      return { unknownNode: c.droppedUnknownNode, staleTerm: c.droppedStaleTerm, invalid: c.droppedInvalid }
    })
  }

  leaderChanged(): void {
    this.leaderChanges.inc()
  }

  /** Children kept once made: a labelled observe() hashes its labels on every call (as request() below). */
  private readonly byOutcome: Partial<Record<'ok' | 'error', { observe(v: number): void }>> = {}

  proposal(seconds: number, outcome: 'ok' | 'error'): void {
    ;(this.byOutcome[outcome] ??= this.proposals.labels(outcome)).observe(seconds)
  }

  private readonly byRoute = new Map<string, { observe(v: number): void }>()

  request(route: string, method: string, code: number, seconds: number): void {
    // Label lookups hash their values on every call: keep one child per route, method and code.
    const key = `${route} ${method} ${code}`
    let child = this.byRoute.get(key)
    if (!child) {
      child = this.requests.labels(route, method, String(code))
      this.byRoute.set(key, child)
    }
    child.observe(seconds)
  }
}

/** A counter whose values are read from a record of running totals kept elsewhere. */
function countersByReason(name: string, help: string, registers: Registry[], read: () => Readonly<Record<string, number>>): void {
  new Counter({
    name,
    help,
    labelNames: ['reason'],
    registers,
    collect() {
      this.reset()
      for (const [reason, n] of Object.entries(read())) this.inc({ reason }, n)
    },
  })
}

/** Values with a `service` label, read at scrape time from running totals kept by the routing mesh. */
function byService(kind: 'counter' | 'gauge', name: string, help: string, registers: Registry[], read: () => ReadonlyMap<string, number>): void {
  const common = { name, help, labelNames: ['service'] as const, registers }
  if (kind === 'gauge') {
    new Gauge({ ...common, collect() { this.reset(); for (const [service, n] of read()) this.set({ service }, n) } })
    return
  }
  new Counter({ ...common, collect() { this.reset(); for (const [service, n] of read()) this.inc({ service }, n) } })
}
