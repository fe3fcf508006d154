import type { Logger } from 'pino'
import type { Mesh } from '../net/index.js'
import type { RaftDriver } from '../raft/driver.js'
import type { NodeId } from '../raft/types.js'
import { planMembershipChange, type MemberHealth } from './membership-plan.js'
import type { Proposer } from './proposer.js'

export interface MembershipControllerOptions {
  /** A voter silent for longer than this is replaced by a healthy non-voter. Default 30 s. */
  readonly voterGraceMs?: number
  /** How often the leader looks. Default 500 ms. */
  readonly intervalMs?: number
  /** A learner within this many entries of the leader's log counts as caught up. Default 100. */
  readonly caughtUpEntries?: number
}

/**
 * On the leader, a level-triggered loop: observe the members' health, compute the one membership change
 * the rule wants (membership-plan.ts), propose it, and look again. Other nodes do nothing.
 */
export class MembershipController {
  private timer: NodeJS.Timeout | undefined
  private busy = false
  /** When this node last became leader: silence is measured from then at the earliest. */
  private leaderSince = 0
  private readonly graceMs: number

  constructor(
    private readonly id: NodeId,
    private readonly driver: RaftDriver,
    private readonly mesh: Mesh,
    private readonly proposer: Proposer,
    private readonly log: Logger,
    private readonly opts: MembershipControllerOptions = {},
  ) {
    this.graceMs = opts.voterGraceMs ?? 30_000
  }

  start(): void {
    this.driver.on((e) => {
      if (e.type === 'leaderChanged' && e.leader === this.id) this.leaderSince = Date.now()
    })
    this.timer = setInterval(() => void this.reconcile(), this.opts.intervalMs ?? 500)
  }

  stop(): void {
    clearInterval(this.timer)
  }

  /** Health of every member as the leader sees it; undefined on a non-leader. */
  health(): MemberHealth[] | undefined {
    const st = this.driver.status()
    if (st.role !== 'leader' || !st.progress) return undefined
    const now = Date.now()
    const seen = new Map(this.mesh.status().map((p) => [p.id, p.lastSeen ?? 0]))
    const caughtUp = this.opts.caughtUpEntries ?? 100
    return [...st.progress.entries()].map(([id, p]) => ({
      id,
      role: p.isLearner ? 'learner' : 'voter',
      silentForMs: id === this.id ? 0 : now - Math.max(seen.get(id) ?? 0, this.leaderSince),
      caughtUp: st.lastIndex - p.match <= caughtUp,
    }))
  }

  private async reconcile(): Promise<void> {
    if (this.busy) return
    const members = this.health()
    if (!members) return
    const change = planMembershipChange({ leader: this.id, members, graceMs: this.graceMs, healthyWithinMs: 2_000 })
    if (!change) return
    this.busy = true
    try {
      const why = change.type === 'addVoter' ? 'promote to voter' : 'demote to non-voter'
      this.log.info({ node: change.node, change: change.type }, `membership: ${why}`)
      await this.proposer.proposeConfChange(change, 5_000)
    } catch (err) {
      this.log.warn({ err, change }, 'membership change failed; will look again')
    } finally {
      this.busy = false
    }
  }
}
