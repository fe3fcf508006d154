// Deterministic tie-breaking: a stable 32-bit hash of (seed, pod uid, node name), never Math.random.

/** FNV-1a over the UTF-16 code units of s, starting from h. */
export function fnv1a(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** A final avalanche (murmur3 fmix32), so that combining two hashes with xor stays well spread. */
export function mix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** The per-pod half of the tie-break hash. */
export function podHash(seed: number, uid: string): number {
  return fnv1a(uid, mix32((seed >>> 0) ^ 0x9e3779b9))
}

/** Combines the per-pod half with the node's own hash (fnv1a of its name). */
export function tieBreak(podH: number, nodeH: number): number {
  return mix32(podH ^ Math.imul(nodeH, 0x27d4eb2d))
}
