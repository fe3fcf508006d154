// The agent flags that shape this node's Node object and pods: --label (repeatable; env PODMESH_LABELS,
// comma-separated), --cpu, --memory, --runtime, --node-grace; and the service layer's (src/services/options.ts).
import { parseCpu, parseMemory } from '../resources/index.js'
import { serviceOptions, type ServiceFlags, type ServiceOptions } from '../services/options.js'
import { UsageError } from './errors.js'

export interface NodeOptions {
  readonly labels: Readonly<Record<string, string>>
  /** Overrides the OS's count (millicores). */
  readonly cpuMillis?: number
  /** Overrides the OS's total (bytes). */
  readonly memoryBytes?: number
  /** The pod runtime by name (`fake` for tests); absent: this agent runs no pods yet. */
  readonly runtime?: string
  /** Heartbeat silence after which the leader marks a node NotReady. */
  readonly graceMs: number
  /** Routing mesh and DNS addresses; defaults when absent. */
  readonly services?: ServiceOptions
}

export interface NodeFlags extends ServiceFlags {
  readonly label?: readonly string[]
  readonly cpu?: string
  readonly memory?: string
  readonly runtime?: string
  readonly nodeGrace?: string
}

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/

export function parseLabels(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const item of items.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=')
    const key = eq < 0 ? item : item.slice(0, eq)
    const value = eq < 0 ? '' : item.slice(eq + 1)
    if (eq < 0 || !KEY.test(key) || !VALUE.test(value)) throw new UsageError(`--label "${item}": must be key=value with Kubernetes label syntax (e.g. zone=eu-1)`)
    out[key] = value
  }
  return out
}

export function nodeOptions(flags: NodeFlags, env: NodeJS.ProcessEnv = process.env): NodeOptions {
  const fromEnv = env.PODMESH_LABELS ? [env.PODMESH_LABELS] : []
  const quantity = (flag: string, text: string | undefined, parse: (q: string) => number) => {
    if (text === undefined) return undefined
    try {
      const n = parse(text)
      if (n > 0) return n
    } catch {
      // reported below
    }
    throw new UsageError(`${flag} "${text}": must be a positive quantity (e.g. --cpu 2 or 1500m, --memory 4Gi)`)
  }
  const cpuMillis = quantity('--cpu', flags.cpu, parseCpu)
  const memoryBytes = quantity('--memory', flags.memory, parseMemory)
  const graceSec = Number(flags.nodeGrace ?? '2')
  if (!Number.isFinite(graceSec) || graceSec <= 0) throw new UsageError(`--node-grace "${flags.nodeGrace}": must be a positive number of seconds`)
  return {
    labels: parseLabels([...fromEnv, ...(flags.label ?? [])]),
    ...(cpuMillis !== undefined ? { cpuMillis } : {}),
    ...(memoryBytes !== undefined ? { memoryBytes } : {}),
    ...(flags.runtime ? { runtime: flags.runtime } : {}),
    graceMs: graceSec * 1000,
    services: serviceFlags(flags),
  }
}

function serviceFlags(flags: ServiceFlags): ServiceOptions {
  try {
    return serviceOptions(flags)
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}
