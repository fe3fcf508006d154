// The cluster as the scheduler sees it during one schedule() call: per-node aggregates (used cpu
// and memory, pod count, host ports, owner and label counts), per-topology-key domains, and the
// placed pods' anti-affinity terms. Each placement updates them before the next pod is considered.
import { ExistingAntiAffinity } from './anti-affinity.js'
import { type Domain, PodGroup, podLabelKeys } from './groups.js'
import { fnv1a } from './hash.js'
import { OwnerCounts } from './owner-counts.js'
import { addPorts, type PortTable, usedPorts } from './ports.js'
import { topologyValue } from './topology.js'
import type { SchedNode, SchedPod } from './types.js'

export class NodeState {
  readonly group = new PodGroup()
  readonly ports: PortTable = new Map()

  constructor(
    readonly index: number,
    readonly node: SchedNode,
  ) {}
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
  readonly owners: OwnerCounts
  /** labelKey -> node index -> pods there carrying that label: where an anti-affinity selector can match. */
  readonly labelNodes = new Map<string, Map<number, number>>()
  // The numbers the hot loop reads for every candidate node, as arrays indexed like `nodes`
  // (one cache line holds eight nodes' worth, instead of three pointer hops per node).
  readonly cpuUsed: Float64Array
  readonly cpuAllocatable: Float64Array
  readonly memUsed: Float64Array
  readonly memAllocatable: Float64Array
  readonly podCount: Int32Array
  /** Infinity where the node sets no limit. */
  readonly maxPods: Float64Array
  /** fnv1a of each node's name: the node's half of the tie-break hash. */
  readonly nameHash: Uint32Array
  private readonly byName = new Map<string, NodeState>()
  private readonly domains = new Map<string, Domain>()
  private readonly placed: PlacedRecord[] = []

  constructor(nodes: readonly SchedNode[]) {
    this.nodes = [...nodes].sort(byName).map((n, i) => new NodeState(i, n))
    for (const ns of this.nodes) this.byName.set(ns.node.name, ns)
    this.owners = new OwnerCounts(this.nodes.length)
    const n = this.nodes.length
    this.cpuUsed = new Float64Array(n)
    this.memUsed = new Float64Array(n)
    this.podCount = new Int32Array(n)
    this.cpuAllocatable = Float64Array.from(this.nodes, (ns) => ns.node.allocatable.cpuMillis)
    this.memAllocatable = Float64Array.from(this.nodes, (ns) => ns.node.allocatable.memoryBytes)
    this.maxPods = Float64Array.from(this.nodes, (ns) => ns.node.allocatable.pods ?? Infinity)
    this.nameHash = Uint32Array.from(this.nodes, (ns) => fnv1a(ns.node.name))
  }

  nodeByName(name: string): NodeState | undefined {
    return this.byName.get(name)
  }

  /** Accounts for the pod on the node. `keys` are the pod's labelKeys, if already computed. */
  place(pod: SchedPod, ns: NodeState, keys: readonly string[] = podLabelKeys(pod)): void {
    const i = ns.index
    this.cpuUsed[i] += pod.requests.cpuMillis
    this.memUsed[i] += pod.requests.memoryBytes
    this.podCount[i]++
    addPorts(ns.ports, usedPorts(pod.hostPorts))
    ns.group.add(pod, keys)
    if (pod.owner !== undefined) this.owners.add(pod.owner, ns.index)
    for (const k of keys) {
      let sparse = this.labelNodes.get(k)
      if (sparse === undefined) {
        sparse = new Map()
        this.labelNodes.set(k, sparse)
      }
      sparse.set(i, (sparse.get(i) ?? 0) + 1)
    }
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
      const groupOf = this.nodes.map((ns) => ns.group)
      return { key, groupOf, ids: Int32Array.from(this.nodes, (_, i) => i), groups: groupOf, values, perNode }
    }
    const groupOf = valueOf.map((v) => (v === undefined ? undefined : values.get(v)))
    const groups = [...values.values()]
    const idOf = new Map(groups.map((g, i) => [g, i]))
    const ids = Int32Array.from(groupOf, (g) => (g === undefined ? -1 : idOf.get(g)!))
    for (const r of this.placed) groupOf[r.node.index]?.add(r.pod, r.keys)
    return { key, groupOf, ids, groups, values, perNode }
  }
}
