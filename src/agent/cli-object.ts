// Safe reads from objects as the API serves them. The CLI prints whatever is there: a field the
// resource model has not filled yet reads as undefined, never as a crash.

export type Json = Record<string, unknown>

export function rec(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {}
}

export function arr(v: unknown): Json[] {
  return Array.isArray(v) ? v.map(rec) : []
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined
}

/** Follows a dotted path: `at(o, 'status', 'phase')`. */
export function at(o: unknown, ...path: string[]): unknown {
  let v: unknown = o
  for (const p of path) v = rec(v)[p]
  return v
}

export interface Meta {
  readonly name: string
  readonly namespace: string
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  readonly resourceVersion?: string
  readonly creationTimestamp?: string
  readonly uid?: string
  readonly generation?: number
  readonly deletionTimestamp?: string
}

export function meta(o: unknown): Meta {
  const m = rec(rec(o).metadata)
  const strings = (v: unknown) => Object.fromEntries(Object.entries(rec(v)).map(([k, x]) => [k, str(x) ?? JSON.stringify(x)]))
  const opt = <K extends string, V>(k: K, v: V | undefined) => (v === undefined ? {} : ({ [k]: v } as Record<K, V>))
  return {
    name: str(m.name) ?? '',
    namespace: str(m.namespace) ?? '',
    labels: strings(m.labels),
    annotations: strings(m.annotations),
    ...opt('resourceVersion', str(m.resourceVersion)),
    ...opt('creationTimestamp', str(m.creationTimestamp)),
    ...opt('uid', str(m.uid)),
    ...opt('generation', num(m.generation)),
    ...opt('deletionTimestamp', str(m.deletionTimestamp)),
  }
}

/** `a=b,c=d`, or undefined when there are none. */
export function labelString(labels: Readonly<Record<string, string>>): string | undefined {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`)
  return parts.length ? parts.join(',') : undefined
}
