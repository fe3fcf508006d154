// From the stored Node and Pod objects (Kubernetes-shaped JSON) to the scheduler's own input types,
// field by field. Pure. A quantity that does not parse counts as zero: validation already refused
// bad manifests, so this only guards against objects written around it.
import { parseCpu, parseMemory } from '../resources/index.js'
import type { HostPort, LabelSelector, NodeAffinity, NodeSelectorTerm, PodAffinityTerm, PodAntiAffinity, SchedNode, SchedPod, Strategy, Taint, Toleration } from '../scheduler/index.js'
import type { StoredObject } from '../state/store.js'
import { annotationsOf, arr, controllerOf, labelsOf, nodeReadyStatus, nodeUnschedulable, ownerKey, PLACEMENT_ANNOTATION, rec, strMap, type Json } from './objects.js'

function quantity(parse: (q: string) => number, q: unknown): number {
  if (typeof q !== 'string' && typeof q !== 'number') return 0
  try {
    return parse(String(q))
  } catch {
    return 0
  }
}

export function schedNode(o: StoredObject): SchedNode {
  const status = rec(o.object.status)
  const alloc = rec(status.allocatable ?? status.capacity)
  const pods = Number(alloc.pods)
  return {
    name: o.name,
    labels: labelsOf(o),
    allocatable: { cpuMillis: quantity(parseCpu, alloc.cpu), memoryBytes: quantity(parseMemory, alloc.memory), ...(Number.isFinite(pods) && pods >= 0 ? { pods } : {}) },
    unschedulable: nodeUnschedulable(o),
    ready: nodeReadyStatus(o) === 'True',
    taints: arr(rec(o.object.spec).taints) as unknown as Taint[],
  }
}

/** Requests summed over the containers (a missing request is zero, as in Kubernetes). */
export function podRequests(spec: Json): { cpuMillis: number; memoryBytes: number } {
  let cpuMillis = 0
  let memoryBytes = 0
  for (const c of arr(spec.containers)) {
    const req = rec(rec(c.resources).requests)
    cpuMillis += quantity(parseCpu, req.cpu)
    memoryBytes += quantity(parseMemory, req.memory)
  }
  return { cpuMillis, memoryBytes }
}

function hostPorts(spec: Json): HostPort[] {
  const out: HostPort[] = []
  for (const c of arr(spec.containers)) {
    for (const p of arr(c.ports)) {
      if (typeof p.hostPort === 'number' && p.hostPort > 0) {
        out.push({ hostPort: p.hostPort, protocol: p.protocol === 'UDP' ? 'UDP' : 'TCP', ...(typeof p.hostIP === 'string' ? { hostIP: p.hostIP } : {}) })
      }
    }
  }
  return out
}

function nodeAffinity(a: Json): NodeAffinity | undefined {
  const required = rec(a.requiredDuringSchedulingIgnoredDuringExecution).nodeSelectorTerms as NodeSelectorTerm[] | undefined
  const preferred = a.preferredDuringSchedulingIgnoredDuringExecution as NodeAffinity['preferred']
  if (!required && !preferred) return undefined
  return { ...(required ? { required } : {}), ...(preferred ? { preferred } : {}) }
}

function affinityTerm(t: Json): PodAffinityTerm {
  return {
    labelSelector: (t.labelSelector ?? {}) as LabelSelector,
    topologyKey: String(t.topologyKey ?? ''),
    ...(Array.isArray(t.namespaces) ? { namespaces: t.namespaces as string[] } : {}),
  }
}

function podAntiAffinity(a: Json): PodAntiAffinity | undefined {
  const required = arr(a.requiredDuringSchedulingIgnoredDuringExecution).map(affinityTerm)
  const preferred = arr(a.preferredDuringSchedulingIgnoredDuringExecution).map((w) => ({ weight: Number(w.weight ?? 1), podAffinityTerm: affinityTerm(rec(w.podAffinityTerm)) }))
  if (required.length === 0 && preferred.length === 0) return undefined
  return { ...(required.length ? { required } : {}), ...(preferred.length ? { preferred } : {}) }
}

export function schedPod(o: StoredObject): SchedPod {
  const spec = rec(o.object.spec)
  const affinity = rec(spec.affinity)
  const owner = controllerOf(o)
  const na = nodeAffinity(rec(affinity.nodeAffinity))
  const anti = podAntiAffinity(rec(affinity.podAntiAffinity))
  const placement = annotationsOf(o)[PLACEMENT_ANNOTATION]
  return {
    uid: o.uid,
    namespace: o.namespace,
    name: o.name,
    ...(owner?.kind === 'Deployment' ? { owner: ownerKey(o.namespace, owner.name) } : {}),
    labels: labelsOf(o),
    requests: podRequests(spec),
    nodeSelector: strMap(spec.nodeSelector),
    ...(na ? { nodeAffinity: na } : {}),
    ...(anti ? { podAntiAffinity: anti } : {}),
    hostPorts: hostPorts(spec),
    tolerations: arr(spec.tolerations) as unknown as Toleration[],
    ...(placement === 'spread' || placement === 'binpack' ? { strategy: placement as Strategy } : {}),
  }
}
