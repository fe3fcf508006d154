// The node lifecycle controller's decisions, pure. Liveness is heartbeats kept in the leader's memory
// (never in the Raft log); only the Ready/NotReady transitions are written.
//
// Grace period, default 2 s (docs/orchestration.md): agents heartbeat every 200 ms, so a Ready node
// must miss ten in a row to turn NotReady. A GC pause or a busy event loop costs a few hundred ms at
// most, and an election (0.5 to 1 s) does not count because a new leader starts with every node "seen
// now". Replacement then takes grace + one scheduling round + the pod's start, well under 5 s.

export interface NodeLiveness {
  readonly name: string
  /** The node's Ready condition as stored; undefined before the leader first judged it. */
  readonly ready: 'True' | 'False' | undefined
  /** Last heartbeat heard by this leader (ms), or when it became leader if later. */
  readonly lastSeenMs: number
}

export interface ReadyTransition {
  readonly name: string
  readonly ready: boolean
  /** Why, for the condition's reason and message. */
  readonly reason: 'AgentReady' | 'NodeStatusUnknown'
  readonly message: string
}

/** A node heard from within the grace period is Ready; silent for longer, NotReady. Only changes are returned. */
export function planNodeTransitions(nodes: readonly NodeLiveness[], nowMs: number, graceMs: number): ReadyTransition[] {
  const out: ReadyTransition[] = []
  for (const n of nodes) {
    const silentMs = nowMs - n.lastSeenMs
    const alive = silentMs <= graceMs
    if (alive && n.ready !== 'True') out.push({ name: n.name, ready: true, reason: 'AgentReady', message: 'the agent is sending heartbeats' })
    else if (!alive && n.ready !== 'False') {
      out.push({ name: n.name, ready: false, reason: 'NodeStatusUnknown', message: `no heartbeat from the agent for ${(silentMs / 1000).toFixed(1)} s (grace ${graceMs / 1000} s)` })
    }
  }
  return out
}

export interface BoundPod {
  readonly namespace: string
  readonly name: string
  readonly nodeName: string
  readonly terminal: boolean
  readonly lost: boolean
  /** Owned by a controller (a Deployment), which decides what happens to it when the node returns. */
  readonly controlled: boolean
}

export interface LostPlan {
  /** Pods on NotReady nodes to mark lost. */
  readonly markLost: readonly BoundPod[]
  /** Bare pods on Ready nodes that were lost: they count again (no controller replaced them). */
  readonly recover: readonly BoundPod[]
}

export function planLostPods(pods: readonly BoundPod[], nodeReady: (name: string) => boolean | undefined): LostPlan {
  const markLost: BoundPod[] = []
  const recover: BoundPod[] = []
  for (const p of pods) {
    if (p.terminal) continue
    const ready = nodeReady(p.nodeName)
    if (ready === false && !p.lost) markLost.push(p)
    else if (ready === true && p.lost && !p.controlled) recover.push(p)
  }
  return { markLost, recover }
}
