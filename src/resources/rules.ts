// Small validation combinators. A Rule reads one raw value at a path, reports every problem to the
// Checker, and returns the canonical value (undefined when absent or invalid). `object` builds its
// output in the order its fields are declared, which is what makes the normalized form canonical.
import type { Checker } from './issues.js'
import { at, idx } from './issues.js'

export type Rule<T> = (v: unknown, path: string, c: Checker) => T | undefined
type Check = (s: string) => string | undefined

/** YAML `field:` and JSON `null` mean "not set", as in Kubernetes. */
export function isAbsent(v: unknown): v is undefined | null {
  return v === undefined || v === null
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list'
  if (v === null) return 'null'
  if (typeof v === 'object') return 'an object'
  if (typeof v === 'string') return JSON.stringify(v)
  return `${typeof v} ${String(v)}`
}

/** A string; "" counts as not set unless keepEmpty. */
export function str(check?: Check, keepEmpty = false): Rule<string> {
  return (v, p, c) => {
    if (isAbsent(v)) return undefined
    if (typeof v !== 'string') return void c.add(p, `must be a string (got ${describe(v)})`)
    if (v === '' && !keepEmpty) return undefined
    const bad = check?.(v)
    if (bad !== undefined) return void c.add(p, bad)
    return v
  }
}

export function bool(): Rule<boolean> {
  return (v, p, c) => {
    if (isAbsent(v)) return undefined
    if (typeof v !== 'boolean') return void c.add(p, `must be true or false (got ${describe(v)})`)
    return v
  }
}

export function rangeText(min: number, max?: number): string {
  return max === undefined ? `must be >= ${min}` : `must be ${min}-${max}`
}

export function int(min = 0, max?: number): Rule<number> {
  return (v, p, c) => {
    if (isAbsent(v)) return undefined
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) return void c.add(p, `must be an integer (got ${describe(v)})`)
    if (v < min || (max !== undefined && v > max)) return void c.add(p, rangeText(min, max))
    return v
  }
}

/** One of the given strings; `unsupported` gives a specific message for values Kubernetes has and podmesh does not. */
export function oneOf<const V extends string>(values: readonly V[], unsupported: Readonly<Record<string, string>> = {}): Rule<V> {
  return (v, p, c) => {
    if (isAbsent(v) || v === '') return undefined
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as V
    if (typeof v === 'string' && Object.hasOwn(unsupported, v)) return void c.add(p, unsupported[v]!)
    c.add(p, `must be one of ${values.join(', ')} (got ${describe(v)})`)
    return undefined
  }
}

/** Reports "is required" when the value is absent (or ""); an empty list or map counts as absent too. */
export function required<T>(rule: Rule<T>): Rule<T> {
  return (v, p, c) => {
    const empty = isAbsent(v) || v === '' || (Array.isArray(v) && v.length === 0)
    if (empty) return void c.add(p, 'is required')
    return rule(v, p, c)
  }
}

/** The default when the value is absent; an invalid value stays invalid. */
export function withDefault<T>(rule: Rule<T>, value: T, zeroIsUnset = false): Rule<T> {
  // An object default is copied each time: callers may edit what they get back. A primitive needs no
  // copy, and structuredClone of one costs as much as of a small object (a ConfigMap's `immutable: false`).
  const fresh = typeof value === 'object' && value !== null ? () => structuredClone(value) : () => value
  return (v, p, c) => (isAbsent(v) || v === '' || (zeroIsUnset && v === 0) ? fresh() : rule(v, p, c))
}

/**
 * A list; empty lists come out absent. All or nothing: when an item is invalid the list comes out
 * undefined, so cross-field checks never see shifted indexes (see `listFailed`).
 */
export function array<T>(item: Rule<T>): Rule<T[]> {
  return (v, p, c) => {
    if (isAbsent(v)) return undefined
    if (!Array.isArray(v)) return void c.add(p, `must be a list (got ${describe(v)})`)
    const out: T[] = []
    let failed = false
    v.forEach((x, i) => {
      const r = isAbsent(x) ? void c.add(idx(p, i), 'must not be null') : item(x, idx(p, i), c)
      if (r === undefined) failed = true
      else out.push(r)
    })
    return failed || out.length === 0 ? undefined : out
  }
}

/** The raw value was a non-empty list but the rule gave nothing: it was invalid, and checks against it are moot. */
export function listFailed(raw: unknown, out: unknown): boolean {
  return Array.isArray(raw) && raw.length > 0 && out === undefined
}

/** A map of strings with its keys sorted; empty maps come out absent. */
export function stringMap(keyCheck: Check, valueCheck?: Check): Rule<Record<string, string>> {
  return (v, p, c) => {
    if (isAbsent(v)) return undefined
    if (!isPlainObject(v)) return void c.add(p, `must be a map of strings (got ${describe(v)})`)
    const out: Record<string, string> = {}
    for (const key of Object.keys(v).sort()) {
      const kp = idx(p, key)
      const badKey = keyCheck(key)
      if (badKey !== undefined) c.add(kp, `key ${JSON.stringify(key)} ${badKey}`)
      const value = v[key]
      if (typeof value !== 'string') c.add(kp, `must be a string (got ${describe(value)})`)
      else {
        const bad = valueCheck?.(value)
        if (bad !== undefined) c.add(kp, bad)
        else setOwn(out, key, value)
      }
    }
    return Object.keys(out).length === 0 ? undefined : out
  }
}

/** A number, or a string the check accepts. */
export function intOrString(intRule: Rule<number>, strCheck: Check): Rule<number | string> {
  return (v, p, c) => {
    if (isAbsent(v) || v === '') return undefined
    if (typeof v === 'number') return intRule(v, p, c)
    if (typeof v === 'string') return str(strCheck)(v, p, c)
    return void c.add(p, `must be an integer or a string (got ${describe(v)})`)
  }
}

export type Fields<T> = { readonly [K in keyof T]-?: Rule<Exclude<T[K], undefined>> }

export interface ObjectOptions<T> {
  /** Accepted and dropped (server fields). */
  readonly ignore?: readonly string[]
  /** Kubernetes fields podmesh rejects with a specific reason. */
  readonly unsupported?: Readonly<Record<string, string>>
  /** Cross-field checks, on the output built so far; may fill in derived defaults. */
  readonly check?: (out: Partial<Record<keyof T, unknown>>, path: string, c: Checker, raw: Record<string, unknown>) => void
}

export function unknownField(key: string): string {
  return `unknown field ${JSON.stringify(key)} (podmesh does not support it)`
}

/** An object with exactly the declared fields; any other field is an issue naming it. */
export function object<T>(fields: Fields<T>, opts: ObjectOptions<T> = {}): Rule<T> {
  const known = new Set(Object.keys(fields))
  const ignored = new Set(opts.ignore ?? [])
  return (v, p, c) => {
    if (isAbsent(v)) return undefined
    if (!isPlainObject(v)) return void c.add(p, `must be an object (got ${describe(v)})`)
    for (const key of Object.keys(v)) {
      if (known.has(key) || ignored.has(key)) continue
      c.add(at(p, key), opts.unsupported?.[key] ?? unknownField(key))
    }
    const out: Partial<Record<keyof T, unknown>> = {}
    for (const key of Object.keys(fields) as (keyof T & string)[]) {
      const value = (fields[key] as Rule<unknown>)(v[key], at(p, key), c)
      if (value !== undefined) out[key] = value
    }
    opts.check?.(out, p, c, v)
    return ordered(out, Object.keys(fields)) as T
  }
}

/** Names that must not repeat in a list: reports the second and later ones. */
export function unique<T>(items: readonly T[] | undefined, name: (x: T) => string | undefined, p: string, field: string, c: Checker): void {
  const seen = new Set<string>()
  items?.forEach((x, i) => {
    const n = name(x)
    if (n === undefined) return
    if (seen.has(n)) c.add(at(idx(p, i), field), `duplicate ${JSON.stringify(n)}`)
    seen.add(n)
  })
}

/** The same entries, in the declared order (a check may have filled a default in after the others). */
function ordered<O extends object>(out: O, order: readonly string[]): O {
  const res: Record<string, unknown> = {}
  for (const key of order) {
    const value = (out as Record<string, unknown>)[key]
    if (value !== undefined) res[key] = value
  }
  return res as O
}

/** obj[key] = value, even for a key like "__proto__" (which plain assignment would swallow). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
}
