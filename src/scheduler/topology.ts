// Topology domains: the value of a node label that groups nodes (a zone, a rack, a host).
import type { SchedNode } from './types.js'

export const HOSTNAME_LABEL = 'kubernetes.io/hostname'

/** Spread keys used when a pod names none. A key no node carries has no effect. */
export const DEFAULT_SPREAD_KEYS: readonly string[] = ['zone', 'topology.kubernetes.io/zone']

/**
 * The node's domain for a key, or undefined when the node lacks the label (Kubernetes: such a
 * node is outside every domain of that key). The hostname key falls back to the node name.
 */
export function topologyValue(node: SchedNode, key: string): string | undefined {
  const v = node.labels[key]
  if (v !== undefined) return v
  return key === HOSTNAME_LABEL ? node.name : undefined
}
