// Which pod runtime an agent uses (`agent start --runtime docker|process`; `fake` for tests).
// Without the flag: docker when the Docker socket answers, else process.
// The runtimes load on demand: Docker's client alone adds several MB to an agent that never uses it.
import { join } from 'node:path'
import type { RuntimeLogger } from './driver.js'
import { FakeRuntime } from './fake.js'
import { nodeHostIP } from './host-ip.js'
import type { PodRuntime } from './types.js'

export class UnknownRuntimeError extends Error {
  static override readonly name = 'UnknownRuntimeError'
  override readonly name = 'UnknownRuntimeError'
}

export interface RuntimeSelection {
  /** This agent's node id: Docker labels every container with it. */
  readonly nodeId: string
  /** The agent's advertise (else listen) host: pods report it as hostIP (a wildcard picks this machine's address). */
  readonly host?: string
  /** The agent's data dir: the process runtime keeps its volumes and child records under it. */
  readonly dataDir?: string
  readonly log?: RuntimeLogger
  /** The fake runtime's start delay (ms); env PODMESH_FAKE_START_MS. */
  readonly fakeStartMs?: number
}

export const RUNTIMES = ['docker', 'process', 'fake'] as const

/** The runtime named by the flag, or the default one for this host. */
export async function resolveRuntimeName(flag: string | undefined): Promise<string> {
  if (flag !== undefined && flag !== '') return flag
  const { chooseRuntime } = await import('./choose.js')
  return chooseRuntime()
}

export async function createRuntime(name: string, opts: RuntimeSelection): Promise<PodRuntime> {
  const hostIP = nodeHostIP(opts.host)
  const shared = { nodeId: opts.nodeId, hostIP, ...(opts.log ? { log: opts.log } : {}) }
  switch (name) {
    case 'docker':
      return (await import('./docker/index.js')).createDockerRuntime(shared)
    case 'process':
      return (await import('./process/index.js')).createProcessRuntime({ ...shared, ...(opts.dataDir !== undefined ? { stateDir: join(opts.dataDir, 'process-runtime') } : {}) })
    case 'fake':
      return new FakeRuntime({ hostIP, ...(opts.fakeStartMs === undefined ? {} : { startDelayMs: opts.fakeStartMs }) })
    default:
      throw new UnknownRuntimeError(`unknown runtime "${name}": use one of ${RUNTIMES.join(', ')}`)
  }
}
