/** Columns as kubectl prints them: upper-case headers, left-aligned, three spaces apart. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('   ')
      .trimEnd()
  return [line(headers.map((h) => h.toUpperCase())), ...rows.map(line)].join('\n')
}

/** Shortens a libp2p peer id for tables: the last 8 characters are enough to tell members apart. */
export function shortId(id: string): string {
  return id.length > 12 ? `…${id.slice(-8)}` : id
}
