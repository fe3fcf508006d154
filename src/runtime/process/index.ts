// The process pod runtime: the shared supervisors over child processes.
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '../driver.js'
import { SupervisedRuntime, type SupervisedRuntimeOptions } from '../supervised-runtime.js'
import { ProcessDriver } from './process-driver.js'

export interface ProcessRuntimeOptions extends SupervisedRuntimeOptions {
  /** This agent's node id (names the state dir). */
  readonly nodeId: string
  /** Volume directories and records of running children. Default: <tmpdir>/podmesh-process/<nodeId>. */
  readonly stateDir?: string
  /** Variables of the agent's environment every child gets. Default PATH, HOME, LANG, TZ. */
  readonly inheritEnv?: readonly string[]
}

export function createProcessRuntime (opts: ProcessRuntimeOptions): SupervisedRuntime {
  const driver = new ProcessDriver({
    stateDir: opts.stateDir ?? join(tmpdir(), 'podmesh-process', opts.nodeId.replace(/[^a-zA-Z0-9_.-]/g, '-')),
    log: opts.log ?? silentLogger,
    hostIP: opts.hostIP ?? '127.0.0.1',
    ...(opts.inheritEnv !== undefined ? { inheritEnv: opts.inheritEnv } : {}),
  })
  // Exits of child processes are never missed: no resync needed.
  return new SupervisedRuntime(driver, { resyncMs: 0, ...opts })
}

export { ProcessDriver } from './process-driver.js'
