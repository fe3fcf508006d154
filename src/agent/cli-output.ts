// How `agent get` prints what it fetched: a table (kubectl's columns), JSON, YAML, or `kind/name` lines.
import { toYaml } from './cli-yaml.js'
import { tableOf, type TableOptions } from './cli-columns.js'
import { qualifiedName, type KindInfo } from './cli-kinds.js'
import { meta, type Json } from './cli-object.js'
import { UsageError } from './errors.js'

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml', 'name'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

export function parseOutputFormat(v: string | undefined): OutputFormat {
  const f = v ?? 'table'
  if (!(OUTPUT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown output format "${f}"; use one of wide, json, yaml, name`)
  return f as OutputFormat
}

/** One object or a List in a machine format; the trailing newline is included. */
export function formatDocument(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? JSON.stringify(value, null, 2) + '\n' : toYaml(value)
}

export interface ListLike {
  readonly apiVersion?: string
  readonly kind?: string
  readonly metadata?: Json
  readonly items: readonly Json[]
}

/** Everything a `get` prints for a list (or, with `single`, one object): ends with a newline unless empty. */
export function formatGet(kind: KindInfo, list: ListLike, format: OutputFormat, opts: TableOptions & { single?: boolean }): string {
  if (format === 'json' || format === 'yaml') return formatDocument(opts.single ? list.items[0] : list, format)
  if (format === 'name') return list.items.map((o) => qualifiedName(kind, meta(o).name) + '\n').join('')
  if (list.items.length === 0) return ''
  const { headers, rows } = tableOf(kind, list.items, { ...opts, wide: format === 'wide' })
  return renderRows(columnWidths([headers, ...rows]), [headers, ...rows]).join('\n') + '\n'
}

/** No objects: kubectl's message, for stderr. */
export function noneFound(kind: KindInfo, namespace: string | undefined): string {
  return namespace && kind.namespaced ? `No resources found in ${namespace} namespace.` : 'No resources found'
}

export function columnWidths(lines: readonly (readonly string[])[]): number[] {
  const widths: number[] = []
  for (const l of lines) l.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)))
  return widths
}

/** Left-aligned cells three spaces apart, like table.ts's formatTable, with widths given so that rows printed later line up. */
export function renderRows(widths: readonly number[], lines: readonly (readonly string[])[]): string[] {
  return lines.map((cells) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd(),
  )
}

/**
 * Prints a watch: the first batch as a table with its header, later changes one row each, padded to the
 * widths seen so far (a longer cell widens its column from then on, as kubectl does).
 */
export class WatchPrinter {
  private widths: number[] = []
  private headerDone = false

  constructor(
    private readonly kind: KindInfo,
    private readonly format: OutputFormat,
    private readonly opts: TableOptions,
    private readonly write: (s: string) => void,
  ) {}

  print(items: readonly Json[], now: number): void {
    if (items.length === 0 && this.headerDone) return
    if (this.format === 'json') return items.forEach((o) => this.write(JSON.stringify(o) + '\n'))
    if (this.format === 'yaml') return items.forEach((o) => this.write('---\n' + toYaml(o)))
    if (this.format === 'name') return items.forEach((o) => this.write(qualifiedName(this.kind, meta(o).name) + '\n'))
    const { headers, rows } = tableOf(this.kind, items, { ...this.opts, now, wide: this.format === 'wide' })
    const lines = this.headerDone ? rows : [headers, ...rows]
    this.widths = columnWidths(lines).map((w, i) => Math.max(w, this.widths[i] ?? 0))
    if (this.headerDone || rows.length > 0) {
      this.headerDone = true
      for (const l of renderRows(this.widths, lines)) this.write(l + '\n')
    }
  }
}
