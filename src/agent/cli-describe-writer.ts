// The layout of `agent describe`: `Label:  value` lines, nested by indent, with the values of the
// fields at one level lined up (as kubectl's tabwriter does); a value of several lines continues
// under its first line.

interface Line {
  readonly indent: number
  readonly label: string
  /** undefined: a heading (`Containers:`) or, with an empty label, plain text. */
  readonly value?: string
  readonly text?: boolean
}

export class DescribeWriter {
  private readonly lines: Line[] = []

  /** `Label:  value`; an empty, null or undefined value prints as `<none>`. */
  field(label: string, value: string | number | boolean | undefined | null, indent = 0): this {
    const v = value === undefined || value === null || value === '' ? '<none>' : String(value)
    this.lines.push({ indent, label, value: v })
    return this
  }

  /** `Label:` with the lines that follow nested under it. */
  heading(label: string, indent = 0): this {
    this.lines.push({ indent, label })
    return this
  }

  /** A line as is, indented. */
  text(text: string, indent = 0): this {
    this.lines.push({ indent, label: text, text: true })
    return this
  }

  /** Rows of cells printed as a small table (Conditions), columns lined up. */
  table(headers: readonly string[], rows: readonly (readonly string[])[], indent = 1): this {
    const all = [headers, ...rows]
    const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)))
    const line = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('   ').trimEnd()
    this.text(line(headers), indent)
    this.text(line(headers.map((h) => '-'.repeat(h.length))), indent)
    for (const r of rows) this.text(line(r), indent)
    return this
  }

  render(): string {
    return this.lines.map((l, i) => this.renderLine(l, i)).join('\n') + '\n'
  }

  private renderLine(l: Line, i: number): string {
    const pad = '  '.repeat(l.indent)
    if (l.text) return (pad + l.label).trimEnd()
    if (l.value === undefined) return `${pad}${l.label}:`
    const width = this.labelWidth(i)
    const head = `${pad}${(l.label + ':').padEnd(width + 1)}  `
    const [first, ...rest] = l.value.split('\n')
    return [head + first, ...rest.map((r) => ' '.repeat(head.length) + r)].map((s) => s.trimEnd()).join('\n')
  }

  /** The widest label among the fields at this line's indent, in the run of lines nested at least as deep (plain text at this level ends a run). */
  private labelWidth(i: number): number {
    const indent = this.lines[i]!.indent
    let lo = i
    let hi = i
    const inRun = (l: Line) => l.indent >= indent && !(l.text && l.indent <= indent)
    while (lo > 0 && inRun(this.lines[lo - 1]!)) lo--
    while (hi < this.lines.length - 1 && inRun(this.lines[hi + 1]!)) hi++
    let w = 0
    for (let j = lo; j <= hi; j++) {
      const l = this.lines[j]!
      if (l.indent === indent && l.value !== undefined && !l.text) w = Math.max(w, l.label.length)
    }
    return w
  }
}
