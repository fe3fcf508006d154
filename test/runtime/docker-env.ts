// Whether the Docker tests can run. Docker absent: with CI=true the set-up script installs and starts
// it (a failure is a test failure, never a skip); otherwise the tests skip with a message. The test
// image is built by the same script when missing.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import Docker from 'dockerode'
import { dockerAvailable } from '../../src/runtime/docker/index.js'
import { TEST_IMAGE } from './fixtures.js'

const run = promisify(execFile)

/** scripts/setup-docker.sh of the checkout this compiled test sits in (dist/ or .build/<name>/). */
function setupScript (): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'scripts', 'setup-docker.sh')
    if (existsSync(candidate)) return candidate
  }
  return join(process.cwd(), 'scripts', 'setup-docker.sh')
}

export interface DockerEnv {
  readonly docker?: Docker
  /** Why the tests cannot run; absent when they can. */
  readonly skip?: string
  /** Set when CI=true and Docker could not be made to work: the tests must fail. */
  readonly failure?: string
}

async function imagePresent (docker: Docker): Promise<boolean> {
  return docker.getImage(TEST_IMAGE).inspect().then(() => true, () => false)
}

async function setup (): Promise<string | undefined> {
  try {
    await run('bash', [setupScript()], { timeout: 600_000 })
    return undefined
  } catch (err) {
    const e = err as { stderr?: string, message: string }
    return `scripts/setup-docker.sh failed: ${(e.stderr ?? '').trim() || e.message}`
  }
}

export async function dockerEnv (): Promise<DockerEnv> {
  const ci = process.env.CI === 'true'
  const docker = new Docker()
  let up = await dockerAvailable({ docker })
  if (!up && !ci) return { skip: 'Docker does not answer on its socket (run scripts/setup-docker.sh, or set CI=true to make this a failure)' }
  if (!up || !(await imagePresent(docker))) {
    const failed = await setup()
    up = await dockerAvailable({ docker })
    if (failed !== undefined || !up || !(await imagePresent(docker))) {
      const why = failed ?? `Docker answers: ${up}; image ${TEST_IMAGE} present: ${up && await imagePresent(docker)}`
      return ci ? { failure: why } : { skip: why }
    }
  }
  return { docker }
}

/** Removes every container and volume labelled with this node id (the tests' own, and nothing else). */
export async function cleanNode (docker: Docker, nodeId: string): Promise<void> {
  const label = ['io.podmesh.managed=true', `io.podmesh.node=${nodeId}`]
  const cs = await docker.listContainers({ all: true, filters: { label } })
  for (const c of cs) await docker.getContainer(c.Id).remove({ force: true }).catch(() => {})
  const { Volumes } = await docker.listVolumes({ filters: JSON.stringify({ label }) } as Docker.VolumeListOptions)
  for (const v of Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => {})
}
