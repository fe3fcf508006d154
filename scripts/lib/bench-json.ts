// `--json` for the benchmark scripts: `npm run bench` (scripts/bench.ts) runs each with it and reads
// one JSON object from the last line of its stdout: `{"bench": "<name>", "<figure>": <number>, …}`,
// or `{"bench": "<name>", "skipped": "<why and what to do>"}`. Progress goes to stderr as always.

export const jsonMode = process.argv.includes('--json')

/** Prints the figures as one JSON line (only with --json); returns whether it did, so callers can skip their tables. */
export function emitFigures(bench: string, figures: Readonly<Record<string, number>>): boolean {
  if (jsonMode) process.stdout.write(JSON.stringify({ bench, ...figures }) + '\n')
  return jsonMode
}
