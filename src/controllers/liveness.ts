// The leader's in-memory table of node heartbeats. Never written to the Raft log: only the Ready and
// NotReady transitions it leads to are. A new leader starts with every node "seen now", so an election
// never looks like a silent node.

export class LivenessTable {
  private readonly seen = new Map<string, number>()
  private since = 0

  /** This node became the leader at `nowMs`: forget what an earlier term heard. */
  reset(nowMs: number): void {
    this.seen.clear()
    this.since = nowMs
  }

  heartbeat(node: string, nowMs: number): void {
    this.seen.set(node, nowMs)
  }

  lastSeen(node: string): number {
    return Math.max(this.seen.get(node) ?? 0, this.since)
  }
}
