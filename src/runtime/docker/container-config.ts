// Docker create options for a pod's infra container and its containers. Pure, so tests check the
// mapping without an engine: command → Entrypoint, args → Cmd, limits.cpu → NanoCpus, limits.memory →
// Memory, requests.cpu → CpuShares, ports → bindings on the infra container, volumes → mounts.
import { join } from 'node:path'
import type Docker from 'dockerode'
import { parseCpu, parseMemory, type Container, type Volume } from '../../resources/index.js'
import { ContainerConfigError } from '../errors.js'
import type { RuntimePod } from '../types.js'
import { INFRA, LABEL, volumeName } from './labels.js'

export interface InfraSettings {
  readonly nodeId: string
  readonly image: string
  readonly command: readonly string[]
  /** For ports with a hostPort and no hostIP. Default: all interfaces, as Kubernetes. */
  readonly defaultHostIP?: string
}

export function podLabels (nodeId: string, pod: RuntimePod, container: string, configHash: string): Record<string, string> {
  return {
    [LABEL.managed]: 'true',
    [LABEL.node]: nodeId,
    [LABEL.podUid]: pod.uid,
    [LABEL.container]: container,
    [LABEL.configHash]: configHash,
    [LABEL.podName]: pod.name,
    [LABEL.podNamespace]: pod.namespace,
  }
}

export function infraCreateOptions (pod: RuntimePod, configHash: string, s: InfraSettings): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {}
  const bindings: Record<string, { HostIp: string, HostPort: string }[]> = {}
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) {
      const key = `${p.containerPort}/${p.protocol.toLowerCase()}`
      exposed[key] = {}
      if (p.hostPort === undefined) continue
      const list = bindings[key] ?? (bindings[key] = [])
      list.push({ HostIp: p.hostIP ?? s.defaultHostIP ?? '', HostPort: String(p.hostPort) })
    }
  }
  return {
    Image: s.image,
    ...(s.command.length > 0 ? { Cmd: [...s.command] } : {}),
    Hostname: (pod.spec.hostname ?? pod.name).slice(0, 63),
    Labels: podLabels(s.nodeId, pod, INFRA, configHash),
    ExposedPorts: exposed,
    HostConfig: { PortBindings: bindings, IpcMode: 'shareable', NetworkMode: 'bridge' },
  }
}

export interface ContainerSettings {
  readonly nodeId: string
  readonly configHash: string
  readonly restartCount: number
  readonly backoffFailures: number
  readonly infraId: string
  /** Host directory holding the pod's configMap and secret volume files. */
  readonly filesDir: string
}

export function containerCreateOptions (pod: RuntimePod, c: Container, s: ContainerSettings): Docker.ContainerCreateOptions {
  const env = Object.entries(pod.env[c.name] ?? {}).map(([k, v]) => `${k}=${v}`)
  return {
    Image: c.image,
    ...(c.command !== undefined ? { Entrypoint: [...c.command], Cmd: [...(c.args ?? [])] } : {}),
    ...(c.command === undefined && c.args !== undefined ? { Cmd: [...c.args] } : {}),
    ...(c.workingDir !== undefined ? { WorkingDir: c.workingDir } : {}),
    Env: env,
    Labels: { ...podLabels(s.nodeId, pod, c.name, s.configHash), [LABEL.restartCount]: String(s.restartCount), [LABEL.backoffFailures]: String(s.backoffFailures) },
    HostConfig: {
      NetworkMode: `container:${s.infraId}`,
      IpcMode: `container:${s.infraId}`,
      Mounts: mounts(pod, c, s.filesDir),
      ...resources(c),
    },
  }
}

function resources (c: Container): Docker.HostConfig {
  const out: Docker.HostConfig = {}
  const limits = c.resources?.limits
  const requests = c.resources?.requests
  if (limits?.cpu !== undefined) out.NanoCpus = parseCpu(limits.cpu) * 1_000_000
  if (limits?.memory !== undefined) out.Memory = parseMemory(limits.memory)
  // The kubelet's mapping of a CPU request to relative weight: 1 CPU = 1024 shares, at least 2.
  if (requests?.cpu !== undefined) out.CpuShares = Math.max(2, Math.floor(parseCpu(requests.cpu) * 1024 / 1000))
  return out
}

function mounts (pod: RuntimePod, c: Container, filesDir: string): Docker.MountSettings[] {
  return (c.volumeMounts ?? []).map(m => {
    const v = pod.spec.volumes?.find(x => x.name === m.name)
    if (v === undefined) throw new ContainerConfigError(`volumeMount ${m.name} names no volume of the pod`)
    return mountOf(pod.uid, v, m.mountPath, m.readOnly, m.subPath, filesDir)
  })
}

function mountOf (uid: string, v: Volume, target: string, readOnly: boolean, subPath: string | undefined, filesDir: string): Docker.MountSettings {
  const sub = (base: string): string => subPath === undefined ? base : join(base, subPath)
  if (v.emptyDir !== undefined) {
    if (subPath !== undefined) throw new ContainerConfigError(`subPath on the emptyDir volume ${v.name} is not supported by the Docker runtime`)
    return { Type: 'volume', Source: volumeName(uid, v.name), Target: target, ReadOnly: readOnly }
  }
  if (v.hostPath !== undefined) return { Type: 'bind', Source: sub(v.hostPath.path), Target: target, ReadOnly: readOnly }
  // configMap and secret files are written on the host by the driver and bound read-only.
  return { Type: 'bind', Source: sub(join(filesDir, v.name)), Target: target, ReadOnly: true }
}
