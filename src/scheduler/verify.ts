// A reference check of a schedule() result, written naively and independently of the scheduler's
// aggregates and indexes, for the tests and the benchmark. Returns the problems found (empty: valid).
// It checks the final state: a node that received a pod with a nonzero request must not be
// over-committed on that resource (usage only grows, so that covers every intermediate state).
import { matchLabelSelector, matchNodeSelector, matchNodeSelectorTerms } from './selectors.js'
import { firstUntoleratedHardTaint } from './taints.js'
import { topologyValue } from './topology.js'
import type { PodAffinityTerm, SchedNode, SchedPod, ScheduleInput, ScheduleResult } from './types.js'

interface Bound {
  readonly pod: SchedPod
  readonly node: SchedNode
  readonly isNew: boolean
}

function staticProblem(pod: SchedPod, node: SchedNode): string | undefined {
  if (!node.ready) return 'node not ready'
  if (node.unschedulable) return 'node cordoned'
  if (firstUntoleratedHardTaint(node.taints, pod.tolerations) !== undefined) return 'untolerated taint'
  if (!matchNodeSelector(pod.nodeSelector, node.labels)) return 'node selector'
  if (!matchNodeSelectorTerms(pod.nodeAffinity?.required ?? [], node)) return 'node affinity'
  return undefined
}

function resourceProblems(node: SchedNode, pods: readonly Bound[]): string[] {
  const out: string[] = []
  const fresh = pods.filter((b) => b.isNew)
  if (fresh.length === 0) return out
  const cpu = pods.reduce((s, b) => s + b.pod.requests.cpuMillis, 0)
  const mem = pods.reduce((s, b) => s + b.pod.requests.memoryBytes, 0)
  const a = node.allocatable
  if (fresh.some((b) => b.pod.requests.cpuMillis > 0) && cpu > a.cpuMillis) out.push(`${node.name}: cpu ${cpu} > ${a.cpuMillis}`)
  if (fresh.some((b) => b.pod.requests.memoryBytes > 0) && mem > a.memoryBytes) out.push(`${node.name}: memory ${mem} > ${a.memoryBytes}`)
  if (a.pods !== undefined && pods.length > a.pods) out.push(`${node.name}: ${pods.length} pods > ${a.pods}`)
  return out
}

function portProblems(node: SchedNode, pods: readonly Bound[]): string[] {
  const out: string[] = []
  const wild = (ip: string | undefined): boolean => ip === undefined || ip === '' || ip === '0.0.0.0'
  const withPorts = pods.filter((b) => b.pod.hostPorts.some((p) => p.hostPort !== 0))
  for (let i = 0; i < withPorts.length; i++) {
    for (let j = i + 1; j < withPorts.length; j++) {
      const x = withPorts[i] as Bound
      const y = withPorts[j] as Bound
      if (!x.isNew && !y.isNew) continue
      for (const p of x.pod.hostPorts) {
        for (const q of y.pod.hostPorts) {
          if (p.hostPort === 0 || p.hostPort !== q.hostPort || p.protocol !== q.protocol) continue
          if (wild(p.hostIP) || wild(q.hostIP) || p.hostIP === q.hostIP) {
            out.push(`${node.name}: ${x.pod.uid} and ${y.pod.uid} both use ${p.protocol}/${p.hostPort}`)
          }
        }
      }
    }
  }
  return out
}

function termMatches(owner: SchedPod, t: PodAffinityTerm, other: SchedPod): boolean {
  const namespaces = t.namespaces !== undefined && t.namespaces.length > 0 ? t.namespaces : [owner.namespace]
  return namespaces.includes(other.namespace) && matchLabelSelector(t.labelSelector, other.labels)
}

function antiAffinityProblems(all: readonly Bound[]): string[] {
  const out: string[] = []
  const byKey = new Map<string, Map<string, Bound[]>>()
  const members = (key: string, value: string): readonly Bound[] => {
    let domains = byKey.get(key)
    if (domains === undefined) {
      domains = new Map()
      for (const b of all) {
        const v = topologyValue(b.node, key)
        if (v === undefined) continue
        const list = domains.get(v)
        if (list === undefined) domains.set(v, [b])
        else list.push(b)
      }
      byKey.set(key, domains)
    }
    return domains.get(value) ?? []
  }
  for (const x of all) {
    for (const t of x.pod.podAntiAffinity?.required ?? []) {
      const value = topologyValue(x.node, t.topologyKey)
      if (value === undefined) continue
      for (const y of members(t.topologyKey, value)) {
        if (y === x || (!x.isNew && !y.isNew)) continue
        if (termMatches(x.pod, t, y.pod)) out.push(`${y.pod.uid} on ${y.node.name} violates the anti-affinity of ${x.pod.uid} on ${x.node.name}`)
      }
    }
  }
  return out
}

export function verifyPlacements(input: ScheduleInput, result: ScheduleResult): string[] {
  const problems: string[] = []
  const nodes = new Map(input.nodes.map((n) => [n.name, n]))
  const pending = new Map(input.pending.map((p) => [p.uid, p]))
  const seen = new Set<string>()
  const bound: Bound[] = []
  for (const p of input.placed) {
    const node = nodes.get(p.nodeName)
    if (node !== undefined) bound.push({ pod: p, node, isNew: false })
  }
  for (const { uid, nodeName } of result.placements) {
    const pod = pending.get(uid)
    const node = nodes.get(nodeName)
    if (pod === undefined || node === undefined || seen.has(uid)) {
      problems.push(`bad placement ${uid} -> ${nodeName}`)
      continue
    }
    seen.add(uid)
    const why = staticProblem(pod, node)
    if (why !== undefined) problems.push(`${uid} on ${nodeName}: ${why}`)
    bound.push({ pod, node, isNew: true })
  }
  for (const u of result.unschedulable) {
    if (!pending.has(u.uid) || seen.has(u.uid)) problems.push(`bad unschedulable entry ${u.uid}`)
    seen.add(u.uid)
    const total = Object.values(u.counts).reduce((s, n) => s + n, 0)
    if (total !== input.nodes.length) problems.push(`${u.uid}: counts sum to ${total}, not ${input.nodes.length}`)
  }
  if (seen.size !== pending.size) problems.push(`${pending.size - seen.size} pending pods missing from the result`)
  const byNode = new Map<string, Bound[]>()
  for (const b of bound) {
    const list = byNode.get(b.node.name)
    if (list === undefined) byNode.set(b.node.name, [b])
    else list.push(b)
  }
  for (const [name, pods] of byNode) {
    const node = nodes.get(name) as SchedNode
    problems.push(...resourceProblems(node, pods), ...portProblems(node, pods))
  }
  problems.push(...antiAffinityProblems(bound))
  return problems
}
