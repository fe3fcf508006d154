import { pino, type Logger } from 'pino'

export type LogFormat = 'json' | 'pretty'

export interface LoggerOptions {
  readonly level?: string
  /** Default: pretty on a terminal, JSON otherwise (for log collectors). */
  readonly format?: LogFormat
  readonly name?: string
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const format = opts.format ?? (process.stdout.isTTY ? 'pretty' : 'json')
  const base = { level: opts.level ?? 'info', name: opts.name ?? 'podmesh' }
  if (format === 'json') return pino(base)
  return pino({
    ...base,
    transport: { target: 'pino-pretty', options: { colorize: process.stdout.isTTY, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname,name', singleLine: true } },
  })
}

export type { Logger }
