import type { ConfChange, NodeId } from '../raft/types.js'

/** What a member tells the others about itself when it joins; carried in its conf change's context. */
export interface MemberInfo {
  readonly name: string
  /** Multiaddrs of its mesh listener. */
  readonly addrs: readonly string[]
  /** Its HTTP API address, host:port. */
  readonly api: string
}

export interface Member extends MemberInfo {
  readonly id: NodeId
  /** The log index at which it was added. */
  readonly joinedAt: number
}

/** The members' names and addresses, kept beside Raft's own configuration (which knows only ids and roles). */
export class MemberDirectory {
  private readonly members = new Map<NodeId, Member>()

  apply(cc: ConfChange, info: MemberInfo | undefined, index: number): void {
    if (cc.type === 'remove') {
      this.members.delete(cc.node)
      return
    }
    const known = this.members.get(cc.node)
    if (info) this.members.set(cc.node, { id: cc.node, ...info, joinedAt: known?.joinedAt ?? index })
    else if (!known) this.members.set(cc.node, { id: cc.node, name: cc.node, addrs: [], api: '', joinedAt: index })
  }

  /** Updates a member's announced info; a node that is not a member is ignored. */
  update(id: NodeId, info: MemberInfo): void {
    const known = this.members.get(id)
    if (known) this.members.set(id, { ...known, ...info })
  }

  get(id: NodeId): Member | undefined {
    return this.members.get(id)
  }

  byName(name: string): Member | undefined {
    for (const m of this.members.values()) if (m.name === name) return m
    return undefined
  }

  all(): Member[] {
    return [...this.members.values()].sort((a, b) => a.joinedAt - b.joinedAt)
  }

  restore(members: readonly Member[]): void {
    this.members.clear()
    for (const m of members) this.members.set(m.id, m)
  }
}
