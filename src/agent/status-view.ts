import type { Role } from '../raft/types.js'

/** What `GET /v1/status` answers and `agent status` prints. */
export interface StatusView {
  readonly node: { readonly id: string; readonly name: string; readonly raftRole: Role; readonly membership: 'voter' | 'learner' | 'none' }
  readonly leader: { readonly id: string; readonly name: string } | null
  readonly term: number
  readonly commit: number
  readonly applied: number
  readonly members: readonly MemberView[]
}

export interface MemberView {
  readonly id: string
  readonly name: string
  readonly address: string
  readonly api: string
  readonly role: 'voter' | 'learner'
  readonly leader: boolean
  /** As seen from the leader when this node could ask it; null when unknown. */
  readonly reachable: boolean | null
  /** Entries behind the leader's log; null when unknown. */
  readonly lag: number | null
}
