/** One line per notable event, stamped with the simulated time: `t=123 n2 becomes leader term 5`. */
export interface TraceLine {
  readonly step: number
  readonly text: string
}

export class Trace {
  readonly lines: TraceLine[] = []
  #now = 0

  /** The step stamped on lines added from now on. */
  at(step: number): void {
    this.#now = step
  }

  add(text: string): void {
    this.lines.push({ step: this.#now, text })
  }

  /** The last `n` lines, formatted. */
  tail(n: number): string[] {
    return this.lines.slice(-n).map(formatLine)
  }

  format(): string[] {
    return this.lines.map(formatLine)
  }
}

export function formatLine(l: TraceLine): string {
  return `t=${l.step} ${l.text}`
}
