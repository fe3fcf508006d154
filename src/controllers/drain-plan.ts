// Draining a node, pure: one pod at a time, never dropping a Deployment below
// replicas - maxUnavailable ready pods. A pod is first marked "evicting" (its deployment then starts a
// replacement, on another node since this one is cordoned); it is evicted once the others that are
// ready are enough without it: marked terminating when it runs (out of Service rotation, deleted by its
// deployment once due, see pod-removal.ts), else deleted. A terminating pod is on its way out: never
// chosen again, never counted as ready. Bare pods (no controller) are left alone: nothing would recreate them.

export interface DrainPod {
  readonly namespace: string
  readonly name: string
  readonly nodeName: string
  readonly ready: boolean
  readonly terminal: boolean
  readonly evicting: boolean
  /** Has a deletionTimestamp: out of rotation, deleted once due. */
  readonly terminating: boolean
  /** `namespace/name` of its Deployment, if any. */
  readonly owner?: string
}

export interface OwnerAvailability {
  readonly replicas: number
  readonly maxUnavailable: number
}

export type DrainStep =
  | { readonly kind: 'mark'; readonly pod: DrainPod }
  | { readonly kind: 'evict'; readonly pod: DrainPod }
  | { readonly kind: 'wait'; readonly pod: DrainPod; readonly why: string }
  | { readonly kind: 'done'; readonly left: readonly DrainPod[] }

/**
 * The next step for `node`. `pods` are all pods of the cluster (availability counts the deployment's
 * ready pods everywhere); `owners` resolves a deployment's replicas and maxUnavailable.
 */
export function planDrain(node: string, pods: readonly DrainPod[], owners: (owner: string) => OwnerAvailability | undefined): DrainStep {
  const here = pods.filter((p) => p.nodeName === node && !p.terminal && !p.terminating)
  const movable = here.filter((p) => p.owner !== undefined && owners(p.owner) !== undefined)
  if (movable.length === 0) return { kind: 'done', left: here }
  // Finish the pod already chosen before choosing another.
  const pod = movable.find((p) => p.evicting) ?? [...movable].sort((a, b) => Number(a.ready) - Number(b.ready) || (a.name < b.name ? -1 : 1))[0]!
  if (!pod.evicting) return { kind: 'mark', pod }
  const o = owners(pod.owner!)!
  const readyOthers = pods.filter((p) => p.owner === pod.owner && p !== pod && p.ready && !p.terminal && !p.terminating).length
  const minAvailable = o.replicas - o.maxUnavailable
  if (!pod.ready || readyOthers >= minAvailable) return { kind: 'evict', pod }
  return { kind: 'wait', pod, why: `${pod.owner} has ${readyOthers} other ready pods; it needs ${minAvailable}` }
}
