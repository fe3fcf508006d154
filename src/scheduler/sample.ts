// How many feasible nodes to find before ranking, after kube-scheduler's percentageOfNodesToScore.
// Filtering stays exact: every node in the result passed every filter, and a pod that fits nowhere
// is checked against every node (so its reason counts are exact). Only the ranking is sampled: in a
// large cluster the pod goes to the best of the first `n` feasible nodes met, walking the node list
// from an offset given by the pod's tie-break hash (so different pods look at different windows).
//
// Worked example: 5,000 nodes, no option set: 50 - 5000/125 = 10%, so 500 feasible nodes are ranked.
// 80 nodes: fewer than the 100-node minimum, so all of them. 100%: all of them, at any size.

export const MIN_FEASIBLE_NODES_TO_FIND = 100
export const MIN_FEASIBLE_NODES_PERCENTAGE = 5

export function numFeasibleNodesToFind(totalNodes: number, percentage?: number): number {
  if (totalNodes < MIN_FEASIBLE_NODES_TO_FIND) return totalNodes
  let pct = percentage ?? 0
  if (pct >= 100) return totalNodes
  if (pct <= 0) pct = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE, 50 - Math.floor(totalNodes / 125))
  return Math.min(totalNodes, Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.floor((totalNodes * pct) / 100)))
}
