// A pod's sandbox on Docker: its emptyDir volumes, hostPath directories, configMap/secret files, and
// the infra container that owns the network namespace (and publishes the pod's host ports).
import { mkdir, rm, writeFile, open } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type Docker from 'dockerode'
import type { Volume } from '../../resources/index.js'
import type { SandboxInfo } from '../driver.js'
import { ContainerStartError } from '../errors.js'
import type { RuntimePod } from '../types.js'
import { infraCreateOptions, podLabels, type InfraSettings } from './container-config.js'
import { dockerMessage, isStatus } from './docker-errors.js'
import { podIPOf } from './inspect.js'
import { INFRA, LABEL, infraName, labelFilter, volumeName } from './labels.js'

/** A Docker sandbox: its id is the infra container's. */
export interface Sandbox extends SandboxInfo {
  readonly id: string
}

export async function makeSandbox (docker: Docker, pod: RuntimePod, configHash: string, infra: InfraSettings, filesDir: string): Promise<Sandbox> {
  await makeVolumes(docker, pod, configHash, infra.nodeId, filesDir)
  const existing = await docker.listContainers({ all: true, filters: { label: [...labelFilter(infra.nodeId, pod.uid), `${LABEL.container}=${INFRA}`] } })
  for (const c of existing) {
    if (c.State === 'running' && c.Labels[LABEL.configHash] === configHash) return describe(docker, c.Id)
    await docker.getContainer(c.Id).remove({ force: true }).catch(err => { if (!isStatus(err, 404)) throw err })
  }
  let created: Docker.Container
  try {
    created = await docker.createContainer({ name: infraName(pod.uid, configHash), ...withDns(infraCreateOptions(pod, configHash, infra), pod) })
  } catch (err) {
    throw new ContainerStartError(`creating the infra container failed: ${dockerMessage(err)}`)
  }
  try {
    await created.start()
  } catch (err) {
    await created.remove({ force: true }).catch(() => {})
    throw new ContainerStartError(`starting the infra container failed: ${dockerMessage(err)}`)
  }
  return describe(docker, created.id)
}

/** The pod's containers share the infra container's resolv.conf: the agent's service DNS goes there. */
function withDns (opts: Docker.ContainerCreateOptions, pod: RuntimePod): Docker.ContainerCreateOptions {
  if (pod.dns === undefined) return opts
  return { ...opts, HostConfig: { ...opts.HostConfig, Dns: [...pod.dns.servers], DnsSearch: [...pod.dns.searches], DnsOptions: [...pod.dns.options] } }
}

export async function describe (docker: Docker, id: string): Promise<Sandbox> {
  const info = await docker.getContainer(id).inspect()
  const podIP = podIPOf(info)
  return { id, createdAt: Date.parse(info.Created), ...(podIP !== undefined ? { podIP } : {}) }
}

async function makeVolumes (docker: Docker, pod: RuntimePod, configHash: string, nodeId: string, filesDir: string): Promise<void> {
  for (const v of pod.spec.volumes ?? []) {
    if (v.emptyDir !== undefined) {
      const tmpfs = v.emptyDir.medium === 'Memory' ? { DriverOpts: { type: 'tmpfs', device: 'tmpfs' } } : {}
      // Creating a volume that exists returns it: idempotent.
      await docker.createVolume({ Name: volumeName(pod.uid, v.name), Labels: podLabels(nodeId, pod, v.name, configHash), ...tmpfs })
    } else if (v.hostPath !== undefined) {
      await prepareHostPath(v)
    } else {
      await writeFiles(join(filesDir, v.name), pod.files[v.name] ?? {})
    }
  }
}

async function prepareHostPath (v: Volume): Promise<void> {
  const hp = v.hostPath!
  if (hp.type === 'DirectoryOrCreate') await mkdir(hp.path, { recursive: true })
  if (hp.type === 'FileOrCreate') {
    await mkdir(dirname(hp.path), { recursive: true })
    await (await open(hp.path, 'a')).close()
  }
}

async function writeFiles (dir: string, files: Readonly<Record<string, Uint8Array>>): Promise<void> {
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  for (const [path, bytes] of Object.entries(files)) {
    const target = join(dir, path)
    if (!target.startsWith(dir + '/')) continue
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, bytes, { mode: 0o644 })
  }
}
