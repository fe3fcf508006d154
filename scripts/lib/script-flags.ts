// The flags of the benchmark and demo scripts, parsed strictly: each is declared with its help, `--help`
// prints the usage built from the declarations, and an unknown flag or a bad value is named, with the
// usage, before anything starts (a mistyped flag must not cost a ten-minute run with the defaults).
import { parseArgs } from 'node:util'

export type FlagSpec =
  /** A number above 0 (or at least `min`), shown as N. */
  | { readonly type: 'number'; readonly default?: number; readonly min?: number; readonly help: string }
  /** A whole number, at least `min` (default 1), shown as N. */
  | { readonly type: 'count'; readonly default?: number; readonly min?: number; readonly help: string }
  /** Comma-separated whole numbers above 0. */
  | { readonly type: 'numbers'; readonly default: readonly number[]; readonly help: string }
  /** Comma-separated names, each one of `choices`; the default is all of them. */
  | { readonly type: 'list'; readonly choices: readonly string[]; readonly default?: readonly string[]; readonly help: string }
  | { readonly type: 'choice'; readonly choices: readonly string[]; readonly help: string }
  | { readonly type: 'switch'; readonly help: string }

type Value<F extends FlagSpec> = F extends { type: 'number' | 'count'; default: number }
  ? number
  : F extends { type: 'number' | 'count' }
    ? number | undefined
    : F extends { type: 'numbers' }
      ? number[]
      : F extends { type: 'list' }
        ? string[]
        : F extends { type: 'choice' }
          ? string | undefined
          : boolean

export type Flags<S extends Record<string, FlagSpec>> = { readonly [K in keyof S]: Value<S[K]> }

/** `--json`, for the scripts `npm run bench` runs (scripts/lib/bench-json.ts). */
export const JSON_FLAG = { json: { type: 'switch', help: 'one JSON object of the figures on stdout (progress on stderr); npm run bench runs each script so' } } as const

/**
 * Parses process.argv against `spec`; `script` is the npm script's name (bench:api). Prints the usage and
 * exits (0 for --help, 2 for a mistake) instead of returning.
 */
export function scriptFlags<const S extends Record<string, FlagSpec>>(script: string, about: string, spec: S): Flags<S> {
  const usage = usageText(script, about, spec)
  const fail = (message: string): never => {
    console.error(`${script}: ${message}\n\n${usage}`)
    process.exit(2)
  }
  let values: Record<string, string | boolean | undefined>
  try {
    const options = Object.fromEntries([...Object.entries(spec).map(([name, f]) => [name, { type: f.type === 'switch' ? 'boolean' : 'string' }] as const), ['help', { type: 'boolean', short: 'h' }] as const])
    values = parseArgs({ options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>
  } catch (err) {
    return fail((err as Error).message)
  }
  if (values.help) {
    console.log(usage)
    process.exit(0)
  }
  const out: Record<string, unknown> = {}
  for (const [name, f] of Object.entries(spec)) {
    const raw = values[name]
    if (f.type === 'switch') out[name] = raw === true
    else if (f.type === 'number' || f.type === 'count') {
      const whole = f.type === 'count'
      const min = f.min ?? (whole ? 1 : Number.MIN_VALUE)
      const n = raw === undefined ? f.default : Number(raw)
      const what = `${whole ? 'a whole number' : 'a number'}${min === Number.MIN_VALUE ? ' above 0' : ` of at least ${min}`}`
      if (n !== undefined && !(Number.isFinite(n) && n >= min && (!whole || Number.isInteger(n)))) fail(`--${name} ${String(raw)}: needs ${what}`)
      out[name] = n
    } else if (f.type === 'numbers') {
      const ns = raw === undefined ? [...f.default] : String(raw).split(',').map(Number)
      if (ns.length === 0 || !ns.every((n) => Number.isInteger(n) && n > 0)) fail(`--${name} ${String(raw)}: use a comma-separated list of whole numbers above 0`)
      out[name] = ns
    } else if (f.type === 'list') {
      const names = raw === undefined ? [...(f.default ?? f.choices)] : String(raw).split(',').map((s) => s.trim()).filter(Boolean)
      const unknown = names.filter((n) => !f.choices.includes(n))
      if (unknown.length > 0 || (raw !== undefined && names.length === 0)) fail(`--${name} ${String(raw)}: use a comma-separated list of ${f.choices.join(', ')}`)
      out[name] = names
    } else {
      if (raw !== undefined && !f.choices.includes(String(raw))) fail(`--${name} ${String(raw)}: use one of ${f.choices.join(', ')}`)
      out[name] = raw
    }
  }
  return out as Flags<S>
}

function usageText(script: string, about: string, spec: Record<string, FlagSpec>): string {
  const rows = [...Object.entries(spec).map(([name, f]) => [`--${name}${placeholder(f)}`, `${f.help}${defaultText(f)}`]), ['--help', 'this text']]
  const width = Math.max(...rows.map(([flag]) => flag!.length))
  return [`usage: npm run ${script} -- [flags]`, about, '', ...rows.map(([flag, help]) => `  ${flag!.padEnd(width)}  ${help}`)].join('\n')
}

function placeholder(f: FlagSpec): string {
  if (f.type === 'number' || f.type === 'count') return ' N'
  if (f.type === 'numbers') return ' N,N'
  if (f.type === 'list') return ` ${f.choices.join(',')}`
  if (f.type === 'choice') return ` ${f.choices.join('|')}`
  return ''
}

function defaultText(f: FlagSpec): string {
  if (f.type === 'number' || f.type === 'count') return f.default === undefined ? '' : ` (default ${f.default})`
  if (f.type === 'numbers') return ` (default ${f.default.join(',')})`
  if (f.type === 'list') return f.default === undefined ? ' (default: all)' : f.default.length === 0 ? ' (default: none)' : ` (default ${f.default.join(',')})`
  return ''
}
