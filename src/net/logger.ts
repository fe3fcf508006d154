// A pino-compatible logger, injected. The net layer logs under `podmesh:net`.

export interface LogFn {
  (obj: object, msg?: string): void
  (msg: string): void
}

export interface Logger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
  child: (bindings: Record<string, unknown>) => Logger
}

const noop = (): void => {}

export const nullLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => nullLogger
}

export function netLogger (parent: Logger | undefined, sub?: string): Logger {
  const base = parent ?? nullLogger
  return base.child({ ns: sub === undefined ? 'podmesh:net' : `podmesh:net:${sub}` })
}
