// Why a node was filtered out for a pod. Every reason is a named constant with one human text;
// the summary for a pod that fits nowhere reads like Kubernetes':
//   0/3 nodes available: 2 insufficient memory, 1 node(s) were cordoned
//
// | Constant                 | Text                                                      | Filter (feasibility.ts)   |
// |--------------------------|-----------------------------------------------------------|---------------------------|
// | NodeNotReady             | node(s) were not ready                                    | NodeReadyChecker          |
// | NodeCordoned             | node(s) were cordoned                                     | NodeSchedulableChecker    |
// | NoPodRuntime             | node(s) run no pods                                       | PodRuntimeChecker         |
// | UntoleratedTaint         | node(s) had untolerated taint(s)                          | TaintChecker              |
// | NodeSelectorMismatch     | node(s) didn't match Pod's node selector                  | NodeSelectorChecker       |
// | NodeAffinityMismatch     | node(s) didn't match Pod's node affinity                  | NodeAffinityChecker       |
// | InsufficientCpu          | insufficient cpu                                          | CpuChecker                |
// | InsufficientMemory       | insufficient memory                                       | MemoryChecker             |
// | TooManyPods              | too many pods                                             | PodCountChecker           |
// | HostPortConflict         | node(s) didn't have free ports for the requested pod ports | HostPortChecker           |
// | PodAntiAffinity          | node(s) didn't match pod anti-affinity rules              | PodAntiAffinityChecker    |
// | ExistingPodAntiAffinity  | node(s) didn't satisfy existing pods anti-affinity rules  | ExistingAntiAffinityChecker |
//
// The table is in filter order: when a node fails several filters, schedule() counts it under the
// first one (explainPod() lists them all).

export const FilterReason = {
  NodeNotReady: 'NodeNotReady',
  NodeCordoned: 'NodeCordoned',
  NoPodRuntime: 'NoPodRuntime',
  UntoleratedTaint: 'UntoleratedTaint',
  NodeSelectorMismatch: 'NodeSelectorMismatch',
  NodeAffinityMismatch: 'NodeAffinityMismatch',
  InsufficientCpu: 'InsufficientCpu',
  InsufficientMemory: 'InsufficientMemory',
  TooManyPods: 'TooManyPods',
  HostPortConflict: 'HostPortConflict',
  PodAntiAffinity: 'PodAntiAffinity',
  ExistingPodAntiAffinity: 'ExistingPodAntiAffinity',
} as const

export type FilterReason = (typeof FilterReason)[keyof typeof FilterReason]

export const REASON_TEXT: Readonly<Record<FilterReason, string>> = {
  NodeNotReady: 'node(s) were not ready',
  NodeCordoned: 'node(s) were cordoned',
  NoPodRuntime: 'node(s) run no pods',
  UntoleratedTaint: 'node(s) had untolerated taint(s)',
  NodeSelectorMismatch: "node(s) didn't match Pod's node selector",
  NodeAffinityMismatch: "node(s) didn't match Pod's node affinity",
  InsufficientCpu: 'insufficient cpu',
  InsufficientMemory: 'insufficient memory',
  TooManyPods: 'too many pods',
  HostPortConflict: "node(s) didn't have free ports for the requested pod ports",
  PodAntiAffinity: "node(s) didn't match pod anti-affinity rules",
  ExistingPodAntiAffinity: "node(s) didn't satisfy existing pods anti-affinity rules",
}

/** All reasons, in filter order. Index i is the reason's numeric code inside the scheduler. */
export const REASONS: readonly FilterReason[] = Object.values(FilterReason)

export function emptyCounts(): Record<FilterReason, number> {
  const counts = {} as Record<FilterReason, number>
  for (const r of REASONS) counts[r] = 0
  return counts
}

/**
 * '0/<total> nodes available: <n> <text>, ...' with the counts sorted by count descending, then by text.
 * Reasons with a zero count are left out; with no node at all the message says so.
 */
export function formatUnschedulable(totalNodes: number, counts: Readonly<Record<FilterReason, number>>): string {
  const head = `0/${totalNodes} nodes available`
  if (totalNodes === 0) return `${head}: no nodes in the cluster`
  const parts = REASONS.filter((r) => counts[r] > 0)
    .map((r) => ({ n: counts[r], text: REASON_TEXT[r] }))
    .sort((a, b) => b.n - a.n || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .map((p) => `${p.n} ${p.text}`)
  return parts.length === 0 ? head : `${head}: ${parts.join(', ')}`
}
