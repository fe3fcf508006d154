/** A problem with what the user typed: printed as is, with no stack, and exit code 2. */
export class UsageError extends Error {
  static override readonly name = 'UsageError'
  override readonly name = 'UsageError'
}

/** A problem the agent cannot start with (data dir, ports, token): printed as is, exit code 1. */
export class StartupError extends Error {
  static override readonly name = 'StartupError'
  override readonly name = 'StartupError'
}

/** The API answered with an error, or could not be reached. */
export class ApiError extends Error {
  static override readonly name = 'ApiError'
  override readonly name = 'ApiError'
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
}
