// The Docker pod runtime: the shared supervisors over the Docker driver.
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type DockerType from 'dockerode'
import { silentLogger } from '../driver.js'
import { SupervisedRuntime, type SupervisedRuntimeOptions } from '../supervised-runtime.js'
import { Docker } from './client.js'
import { DockerDriver } from './docker-driver.js'

export const DEFAULT_INFRA_IMAGE = 'podmesh-test/busybox:1'
export const DEFAULT_INFRA_COMMAND: readonly string[] = ['sleep', '2147483647']

export interface DockerRuntimeOptions extends SupervisedRuntimeOptions {
  /** This agent's node id: a label on everything made, and the filter on everything listed. */
  readonly nodeId: string
  /** Default: a client from DOCKER_HOST, or /var/run/docker.sock. */
  readonly docker?: DockerType
  /** Default: $PODMESH_INFRA_IMAGE, or podmesh-test/busybox:1 (scripts/setup-docker.sh builds it). */
  readonly infraImage?: string
  /** Default ['sleep', '2147483647']; [] runs the image's own command (e.g. a pause image). */
  readonly infraCommand?: readonly string[]
  /** hostIP for ports with a hostPort and none given. Default: all interfaces. */
  readonly defaultHostIP?: string
  /** Host directory for configMap and secret volume files. Default: <tmpdir>/podmesh-runtime/<nodeId>. */
  readonly stateDir?: string
}

export function createDockerRuntime (opts: DockerRuntimeOptions): SupervisedRuntime {
  const docker = opts.docker ?? new Docker()
  const driver = new DockerDriver(docker, {
    nodeId: opts.nodeId,
    infraImage: opts.infraImage ?? process.env.PODMESH_INFRA_IMAGE ?? DEFAULT_INFRA_IMAGE,
    infraCommand: opts.infraCommand ?? DEFAULT_INFRA_COMMAND,
    ...(opts.defaultHostIP !== undefined ? { defaultHostIP: opts.defaultHostIP } : {}),
    stateDir: opts.stateDir ?? join(tmpdir(), 'podmesh-runtime', opts.nodeId.replace(/[^a-zA-Z0-9_.-]/g, '-')),
    log: opts.log ?? silentLogger,
  })
  return new SupervisedRuntime(driver, opts)
}

/** Whether a Docker engine answers (a ping within timeoutMs, default 1000). */
export async function dockerAvailable (opts: { docker?: DockerType, timeoutMs?: number } = {}): Promise<boolean> {
  const docker = opts.docker ?? new Docker({ timeout: opts.timeoutMs ?? 1000 } as DockerType.DockerOptions)
  try {
    await docker.ping()
    return true
  } catch {
    return false
  }
}

export { DockerDriver } from './docker-driver.js'
export { LABEL } from './labels.js'
