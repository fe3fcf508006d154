// A Service's endpoints, computed from the state (pure): for each service port, the Ready pods that
// match the selector, on any node, with an IP, and the pod port its targetPort names. Every agent
// computes them from its own applied state (as kube-proxy does from its informers); nothing is written.
import type { Container, PodSpec, ServicePort, ServiceSpec } from '../resources/index.js'
import { clusterPortsOf } from '../state/service-ports.js'
import type { StoredObject } from '../state/store.js'

export interface Endpoint {
  readonly ip: string
  readonly port: number
  readonly pod: string
  readonly node?: string
}

export interface PortEndpoints {
  /** The service port's name; absent for the single unnamed port. */
  readonly name?: string
  readonly port: number
  readonly targetPort: number | string
  readonly nodePort?: number
  /** Where the mesh listens for this port on the service address (src/state/service-ports.ts). */
  readonly clusterPort?: number
  /** Ready pods, ordered by pod name (every agent sees the same order). */
  readonly ready: readonly Endpoint[]
}

export interface ServiceEndpoints {
  readonly namespace: string
  readonly name: string
  readonly type: ServiceSpec['type']
  readonly ports: readonly PortEndpoints[]
  /** Matching pods that are not Ready (yet, or any more), by name: what `describe` shows as not ready. */
  readonly notReady: readonly string[]
}

type Json = Record<string, unknown>

function rec(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {}
}

function specOf(service: StoredObject): ServiceSpec {
  return service.object.spec as ServiceSpec
}

/** Absent or empty: the service selects nothing (Kubernetes manages no endpoints for it). */
export function selects(spec: ServiceSpec, pod: StoredObject): boolean {
  const selector = Object.entries(spec.selector ?? {})
  if (selector.length === 0) return false
  const labels = rec(rec(pod.object.metadata).labels)
  return selector.every(([k, v]) => labels[k] === v)
}

/** Ready, Running, not deleted, not on a lost node, with an IP: may take traffic. */
export function servesTraffic(pod: StoredObject): boolean {
  const meta = rec(pod.object.metadata)
  if (meta.deletionTimestamp !== undefined) return false
  const status = rec(pod.object.status)
  if (status.phase !== 'Running' || status.reason === 'NodeLost' || typeof status.podIP !== 'string' || status.podIP === '') return false
  return Array.isArray(status.conditions) && status.conditions.some((c) => rec(c).type === 'Ready' && rec(c).status === 'True')
}

/** The pod port a targetPort names: a number as is; a name through the containers' ports (first match). */
export function resolveTargetPort(target: number | string, spec: PodSpec | undefined): number | undefined {
  if (typeof target === 'number') return target
  if (/^\d+$/.test(target)) return Number(target)
  for (const c of (spec?.containers ?? []) as readonly Container[]) {
    const p = (c.ports ?? []).find((x) => x.name === target)
    if (p) return p.containerPort
  }
  return undefined
}

function portEndpoints(sp: ServicePort, pods: readonly StoredObject[], clusterPort: number | undefined): PortEndpoints {
  const ready: Endpoint[] = []
  for (const pod of pods) {
    const port = resolveTargetPort(sp.targetPort, pod.object.spec as PodSpec | undefined)
    if (port === undefined) continue
    const node = rec(pod.object.spec).nodeName
    ready.push({ ip: rec(pod.object.status).podIP as string, port, pod: pod.name, ...(typeof node === 'string' ? { node } : {}) })
  }
  return {
    ...(sp.name !== undefined ? { name: sp.name } : {}),
    port: sp.port,
    targetPort: sp.targetPort,
    ...(sp.nodePort !== undefined ? { nodePort: sp.nodePort } : {}),
    ...(clusterPort !== undefined ? { clusterPort } : {}),
    ready,
  }
}

/** `pods` may hold any pods; only the service's namespace counts. */
export function serviceEndpoints(service: StoredObject, pods: readonly StoredObject[]): ServiceEndpoints {
  const spec = specOf(service)
  const matching = pods.filter((p) => p.namespace === service.namespace && selects(spec, p)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const serving = matching.filter(servesTraffic)
  const clusterPorts = clusterPortsOf(service.object)
  return {
    namespace: service.namespace,
    name: service.name,
    type: spec.type,
    ports: (spec.ports ?? []).map((sp) => portEndpoints(sp, serving, clusterPorts.find((c) => c.port === sp.port && c.name === sp.name)?.clusterPort)),
    notReady: matching.filter((p) => !servesTraffic(p)).map((p) => p.name),
  }
}
