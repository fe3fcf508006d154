// The extension point for workloads: the runner starts each one beside the nemesis, stops it when the
// fault window ends, then asks it for final reads (after the cluster healed) and for its verdict.
// The register workload (register-workload.ts) is the first; an orchestration workload (a
// Deployment's replicas converging through faults) plugs in here once the scheduler exists.

export interface WorkloadContext {
  /** The API base URL of each node slot (http://127.0.0.1x:port), current after restarts. */
  readonly endpoints: () => readonly string[]
  readonly seed: number
  /** Progress lines for the console. */
  readonly log: (line: string) => void
}

export interface WorkloadVerdict {
  readonly name: string
  /** ok: no violation found; violation: a definite one; unknown: the check could not decide. */
  readonly result: 'ok' | 'violation' | 'unknown'
  /** Headline figures for the report (operations by outcome, checker time, lost writes, …). */
  readonly summary: Readonly<Record<string, unknown>>
  /** Lines for report.txt. */
  readonly text: readonly string[]
  /** What goes to history.json. */
  readonly history: unknown
}

export interface Workload {
  readonly name: string
  /** Runs until `signal` aborts; bounded in time by it. */
  run(ctx: WorkloadContext, signal: AbortSignal): Promise<void>
  /** After the heal: reads what the check needs from every node. */
  final(ctx: WorkloadContext): Promise<void>
  check(ctx: WorkloadContext): Promise<WorkloadVerdict>
}
