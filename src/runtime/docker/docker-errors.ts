// Reading dockerode's errors: an HTTP status in statusCode, the engine's message in json.message.

export function isStatus (err: unknown, ...codes: number[]): boolean {
  const code = (err as { statusCode?: unknown } | null)?.statusCode
  return typeof code === 'number' && codes.includes(code)
}

export function dockerMessage (err: unknown): string {
  const json = (err as { json?: { message?: unknown } } | null)?.json
  if (json !== undefined && json !== null && typeof json.message === 'string') return json.message
  return err instanceof Error ? err.message : String(err)
}
