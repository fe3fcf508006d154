// The cluster as the scheduler sees it during one schedule() call: per-node aggregates (used cpu
// and memory, pod count, host ports, owner and label counts), per-topology-key domains, and the
// placed pods' anti-affinity terms. Each placement updates them before the next pod is considered.
import { ExistingAntiAffinity } from './anti-affinity.js'
import { type Domain, PodGroup, podLabelKeys } from './groups.js'
import { fnv1a } from './hash.js'
import { addPorts, type PortTable, usedPorts } from './ports.js'
import { topologyValue } from './topology.js'
import type { SchedNode, SchedPod } from './types.js'

export class NodeState {
  readonly group = new PodGroup()
  readonly ports: PortTable = new Map()
  cpuUsed = 0
  memUsed = 0
  podCount = 0
  /** fnv1a of the name: the node's half of the tie-break hash. */
  readonly nameHash: number

  constructor(
    readonly index: number,
    readonly node: SchedNode,
  ) {
    this.nameHash = fnv1a(node.name)
  }
}

interface PlacedRecord {
  readonly pod: SchedPod
  readonly keys: readonly string[]
  readonly node: NodeState
}

function byName(a: SchedNode, b: SchedNode): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

export class ClusterState {
  /** Sorted by name, so that results do not depend on the order the caller listed nodes in. */
  readonly nodes: readonly NodeState[]
  readonly existing = new ExistingAntiAffinity()
  private readonly byName = new Map<string, NodeState>()
  private readonly domains = new Map<string, Domain>()
  private readonly placed: PlacedRecord[] = []

  constructor(nodes: readonly SchedNode[]) {
    this.nodes = [...nodes].sort(byName).map((n, i) => new NodeState(i, n))
    for (const ns of this.nodes) this.byName.set(ns.node.name, ns)
  }

  nodeByName(name: string): NodeState | undefined {
    return this.byName.get(name)
  }

  /** Accounts for the pod on the node. `keys` are the pod's labelKeys, if already computed. */
  place(pod: SchedPod, ns: NodeState, keys: readonly string[] = podLabelKeys(pod)): void {
    ns.cpuUsed += pod.requests.cpuMillis
    ns.memUsed += pod.requests.memoryBytes
    ns.podCount++
    addPorts(ns.ports, usedPorts(pod.hostPorts))
    ns.group.add(pod, keys)
    for (const d of this.domains.values()) {
      if (!d.perNode) d.groupOf[ns.index]?.add(pod, keys)
    }
    if (pod.podAntiAffinity?.required !== undefined) this.existing.add(pod, (key) => topologyValue(ns.node, key))
    this.placed.push({ pod, keys, node: ns })
  }

  /** The domains of a topology key, built on first use from the pods placed so far. */
  domain(key: string): Domain {
    let d = this.domains.get(key)
    if (d === undefined) {
      d = this.buildDomain(key)
      this.domains.set(key, d)
    }
    return d
  }

  private buildDomain(key: string): Domain {
    const values = new Map<string, PodGroup>()
    const valueOf = this.nodes.map((ns) => topologyValue(ns.node, key))
    let distinct = true
    for (const v of valueOf) {
      if (v === undefined) continue
      if (values.has(v)) distinct = false
      else values.set(v, new PodGroup())
    }
    // Every node its own domain (hostnames): share the node's group instead of keeping a copy.
    const perNode = distinct && values.size === this.nodes.length
    if (perNode) {
      this.nodes.forEach((ns, i) => values.set(valueOf[i] as string, ns.group))
      return { key, groupOf: this.nodes.map((ns) => ns.group), values, perNode }
    }
    const groupOf = valueOf.map((v) => (v === undefined ? undefined : values.get(v)))
    for (const r of this.placed) groupOf[r.node.index]?.add(r.pod, r.keys)
    return { key, groupOf, values, perNode }
  }
}
