/** JSON with object keys sorted at every level: equal values give equal text whatever the key order. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sorted(v))
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted)
  if (v === null || typeof v !== 'object') return v
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k]
    if (x !== undefined) out[k] = sorted(x)
  }
  return out
}

/**
 * canonicalJson(a) === canonicalJson(b) for JSON-shaped data (what the store holds), without building
 * either text: every replicated write compares the stored object with the new one, on every node.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  a = asJson(a)
  b = asJson(b)
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!sameJson(inArray(a[i]), inArray(b[i]))) return false
    return true
  }
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  // Keys holding undefined are left out of JSON: count only the others, then compare those of x with y's.
  let n = 0
  for (const k in y) if (Object.hasOwn(y, k) && y[k] !== undefined) n++
  for (const k in x) {
    if (!Object.hasOwn(x, k) || x[k] === undefined) continue
    if (--n < 0 || !Object.hasOwn(y, k) || !sameJson(x[k], y[k])) return false
  }
  return n === 0
}

/** The value JSON.stringify writes for a scalar: non-finite numbers become null. */
function asJson(v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? null : v
}

/** In an array, JSON writes undefined as null. */
function inArray(v: unknown): unknown {
  return v === undefined ? null : v
}
