// Where the resource commands write, and their clock: the process's by default, captured in tests.

export interface CliIo {
  readonly out: (s: string) => void
  readonly err: (s: string) => void
  readonly now: () => number
  /** Ends a watch (tests); a user ends it with Ctrl-C. */
  readonly signal?: AbortSignal
}

export const processIo: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), now: () => Date.now() }
