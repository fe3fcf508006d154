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
