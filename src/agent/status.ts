import type { Mesh } from '../net/index.js'
import type { RaftDriver } from '../raft/driver.js'
import type { NodeId } from '../raft/types.js'
import type { ClusterState } from '../state/cluster-state.js'
import { multiaddrHostPort } from './address.js'
import type { MemberView, StatusView } from './status-view.js'

/** What the leader knows of each member's replication, served to followers by the `progress` RPC. */
export interface ProgressReport {
  readonly leader: NodeId
  readonly lastIndex: number
  readonly members: readonly { readonly id: NodeId; readonly match: number; readonly reachable: boolean }[]
}

export function progressReport(driver: RaftDriver, mesh: Mesh): ProgressReport | undefined {
  const st = driver.status()
  if (st.role !== 'leader' || !st.progress) return undefined
  const connected = new Map(mesh.status().map((p) => [p.id, p.connected]))
  return {
    leader: st.id,
    lastIndex: st.lastIndex,
    members: [...st.progress.entries()].map(([id, p]) => ({ id, match: p.match, reachable: id === st.id || (p.recentActive && (connected.get(id) ?? false)) })),
  }
}

export function buildStatus(driver: RaftDriver, state: ClusterState, report: ProgressReport | undefined): StatusView {
  const st = driver.status()
  const voters = new Set(st.conf.voters)
  const learners = new Set(st.conf.learners)
  const nameOf = (id: NodeId) => state.members.get(id)?.name ?? id
  const progress = new Map(report?.members.map((m) => [m.id, m]) ?? [])
  const ids = [...st.conf.voters, ...st.conf.learners]
  const members: MemberView[] = ids.map((id) => {
    const m = state.members.get(id)
    const p = progress.get(id)
    return {
      id,
      name: nameOf(id),
      address: m?.addrs[0] ? multiaddrHostPort(m.addrs[0]) : '',
      api: m?.api ?? '',
      role: voters.has(id) ? 'voter' : 'learner',
      leader: id === st.leader,
      reachable: p ? p.reachable : null,
      lag: p && report ? Math.max(0, report.lastIndex - p.match) : null,
    }
  })
  members.sort((a, b) => (state.members.get(a.id)?.joinedAt ?? 0) - (state.members.get(b.id)?.joinedAt ?? 0))
  return {
    node: { id: st.id, name: nameOf(st.id), raftRole: st.role, membership: voters.has(st.id) ? 'voter' : learners.has(st.id) ? 'learner' : 'none' },
    leader: st.leader ? { id: st.leader, name: nameOf(st.leader) } : null,
    term: st.term,
    commit: st.commit,
    applied: st.applied,
    members,
  }
}
