// `agent logs POD [-c CONTAINER] [-f] [--tail N]`: a container's output, through whichever agent the
// client talks to (the API relays it from the pod's node). Bytes are written as they come; Ctrl-C ends -f.
import { once } from 'node:events'
import { ApiClient, apiPath } from './client.js'
import type { ClientFlags } from './cli-client.js'
import { resolveKind } from './cli-kinds.js'
import { UsageError } from './errors.js'

export interface LogsFlags extends ClientFlags {
  readonly namespace: string
  readonly container?: string
  readonly follow?: boolean
  readonly tail?: string
  readonly previous?: boolean
}

/** Where the output goes, and what ends a follow (tests); by default stdout and Ctrl-C. */
export interface LogsIo {
  readonly out: NodeJS.WritableStream
  readonly signal?: AbortSignal
}

export async function logsCommand(pod: string, flags: LogsFlags, io?: LogsIo): Promise<void> {
  const path = logPath(pod, flags)
  const stop = new AbortController()
  const onInt = () => stop.abort()
  if (!io?.signal) process.once('SIGINT', onInt)
  const signal = io?.signal ? AbortSignal.any([io.signal, stop.signal]) : stop.signal
  const out = io?.out ?? process.stdout
  try {
    for await (const chunk of new ApiClient(flags).bytes(path, signal)) {
      if (!out.write(chunk)) await once(out, 'drain', { signal }).catch(() => undefined)
    }
  } catch (err) {
    if (!signal.aborted) throw err
  } finally {
    process.off('SIGINT', onInt)
  }
}

/** `/v1/pods/NAME/log?…` from the command's arguments (pod, pod/NAME, pods/NAME or po/NAME). */
export function logPath(pod: string, flags: LogsFlags): string {
  const slash = pod.indexOf('/')
  const name = slash < 0 ? pod : pod.slice(slash + 1)
  if (slash >= 0 && resolveKind(pod.slice(0, slash)).kind !== 'Pod') throw new UsageError(`agent logs takes a pod, not "${pod}": give its name, or pod/NAME`)
  if (name === '') throw new UsageError('which pod? give its name, e.g. `agent logs web-7d9f-x2k4q`')
  let tail: string | undefined
  if (flags.tail !== undefined) {
    const n = Number(flags.tail)
    if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--tail takes a number of lines, 0 or more (got "${flags.tail}")`)
    tail = String(n)
  }
  return apiPath(`/v1/pods/${encodeURIComponent(name)}/log`, {
    namespace: flags.namespace,
    container: flags.container,
    follow: flags.follow ? 'true' : undefined,
    tailLines: tail,
    previous: flags.previous ? 'true' : undefined,
  })
}
