// Taints and tolerations, with Kubernetes semantics.
import type { Taint, Toleration } from './types.js'

/**
 * Exists with no key tolerates every taint; otherwise keys must be equal. Equal also needs equal
 * values (absent counts as ''). An absent effect tolerates every effect.
 */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== taint.effect) return false
  if (t.operator === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '')
}

function tolerated(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (tolerates(t, taint)) return true
  return false
}

/** The first NoSchedule or NoExecute taint the pod does not tolerate, if any. */
export function firstUntoleratedHardTaint(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint | undefined {
  for (const taint of taints) {
    if (taint.effect === 'PreferNoSchedule') continue
    if (!tolerated(tolerations, taint)) return taint
  }
  return undefined
}

/** How many PreferNoSchedule taints the pod does not tolerate: a score penalty, not a filter. */
export function untoleratedSoftTaints(taints: readonly Taint[], tolerations: readonly Toleration[]): number {
  let n = 0
  for (const taint of taints) if (taint.effect === 'PreferNoSchedule' && !tolerated(tolerations, taint)) n++
  return n
}
