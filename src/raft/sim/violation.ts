/** The properties the simulator checks after every step. Each reported violation names one. */
export const Check = {
  /** Raft §5.2: at most one leader per term. */
  electionSafety: 'electionSafety',
  /** Raft Figure 2: term and vote never go back, one vote per term, commit index never goes back. */
  persistentState: 'persistentState',
  /** Raft §5.3: two logs holding an entry with the same index and term are identical up to it. */
  logMatching: 'logMatching',
  /** Raft §5.4.1: an entry committed in a term is in the log of every leader of a later term. */
  leaderCompleteness: 'leaderCompleteness',
  /** Raft §5.4.3: every node applies the same entry at a given index, in order, once. */
  stateMachineSafety: 'stateMachineSafety',
  /** An acknowledged proposal is never lost, and every survivor ends up applying it. */
  durability: 'durability',
  /** Raft §6.4: a read served at index i observes every write acknowledged before the read was issued. */
  linearizableRead: 'linearizableRead',
  /** After the faults heal, a leader is elected and a new proposal commits within a bound. */
  liveness: 'liveness',
  /** The core broke its contract (threw, or handed out an impossible Ready). */
  coreContract: 'coreContract',
} as const

export type CheckName = (typeof Check)[keyof typeof Check]

export interface Violation {
  readonly check: CheckName
  readonly step: number
  readonly message: string
}

export function formatViolation(v: Violation): string {
  return `t=${v.step} [${v.check}] ${v.message}`
}
