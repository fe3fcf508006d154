// Each agent tells the leader it is alive every 500 ms (a quarter of the node grace when that is
// shorter): one small RPC, kept in the leader's memory and never written to the Raft log. The leader's
// node controller turns the silence of a node into NotReady.

export interface HeartbeatDeps {
  readonly name: string
  /** The current leader's id, '' when none is known. */
  readonly leader: () => string
  readonly call: (peer: string, method: string, body: unknown, opts: { timeoutMs: number }) => Promise<unknown>
}

/**
 * Four heartbeats per grace period, as Kubernetes' node lease (10 s renewals, 40 s grace): one lost or
 * late beat never makes a node NotReady. Not more often than every 500 ms: at 200 ms, heartbeats were a
 * fifth of an idle fleet's CPU.
 */
export function heartbeatIntervalMs(graceMs: number): number {
  return Math.min(500, graceMs / 4)
}

export class NodeHeartbeat {
  private timer: NodeJS.Timeout | undefined
  private inFlight = false

  constructor(
    private readonly deps: HeartbeatDeps,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.beat(), this.intervalMs)
    void this.beat()
  }

  stop(): void {
    clearInterval(this.timer)
  }

  private async beat(): Promise<void> {
    const leader = this.deps.leader()
    if (!leader || this.inFlight) return
    this.inFlight = true
    try {
      await this.deps.call(leader, 'nodeHeartbeat', { name: this.deps.name }, { timeoutMs: 1_000 })
    } catch {
      // The next beat goes to whoever leads then.
    } finally {
      this.inFlight = false
    }
  }
}
