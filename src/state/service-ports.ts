// The ports the cluster assigns to Services, in the state machine: applied in log order on every node,
// so every agent assigns the same numbers, once, and keeps them while the service exists.
//
// Every service port gets a cluster port from the node-port range (30000-32767), unique in the cluster:
// the agents' routing mesh listens on it. For type NodePort it is the nodePort (given by the user, or
// assigned here and written into spec.ports[].nodePort, as Kubernetes' API server does); for ClusterIP
// it is kept in status.clusterPorts. A port keeps its number across re-applies (matched by name and port),
// so `agent apply` of the same manifest is "unchanged".
import type { ObjectKey, PutOp } from './commands.js'

export const CLUSTER_PORT_MIN = 30000
export const CLUSTER_PORT_MAX = 32767

type Json = Record<string, unknown>

export interface ClusterPort {
  readonly name?: string
  readonly port: number
  readonly clusterPort: number
}

export type Admission =
  | { readonly ok: true; readonly objects: ReadonlyMap<number, Json> }
  | { readonly ok: false; readonly key: ObjectKey; readonly message: string }

interface PortSpec {
  readonly name?: string
  readonly port: number
  readonly nodePort?: number
}

function rec(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {}
}

function portsOf(o: Json): PortSpec[] {
  const ports = rec(o.spec).ports
  return Array.isArray(ports) ? (ports as PortSpec[]) : []
}

/** The cluster ports a stored Service holds. */
export function clusterPortsOf(o: Json): ClusterPort[] {
  const type = rec(o.spec).type
  if (type === 'NodePort') return portsOf(o).flatMap((p) => (p.nodePort ? [{ ...(p.name ? { name: p.name } : {}), port: p.port, clusterPort: p.nodePort }] : []))
  const held = rec(o.status).clusterPorts
  return Array.isArray(held) ? (held as ClusterPort[]) : []
}

const portKey = (p: { name?: string; port: number }) => `${p.name ?? ''}:${p.port}`

/** FNV-1a: where the search for a free port starts, so a re-created service usually gets its old port back. */
function startFor(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return CLUSTER_PORT_MIN + (h % (CLUSTER_PORT_MAX - CLUSTER_PORT_MIN + 1))
}

function freePort(from: number, taken: ReadonlySet<number>): number | undefined {
  const size = CLUSTER_PORT_MAX - CLUSTER_PORT_MIN + 1
  for (let i = 0; i < size; i++) {
    const p = CLUSTER_PORT_MIN + ((from - CLUSTER_PORT_MIN + i) % size)
    if (!taken.has(p)) return p
  }
  return undefined
}

/** One Service put: its object with every port's cluster port assigned, or why it cannot be. */
export function assignServicePorts(key: ObjectKey, object: Json, current: Json | undefined, taken: ReadonlySet<number>): { object: Json } | { error: string } {
  const previous = new Map((current ? clusterPortsOf(current) : []).map((c) => [portKey(c), c.clusterPort]))
  const nodePortType = rec(object.spec).type === 'NodePort'
  const mine = new Set<number>()
  const assigned: ClusterPort[] = []
  for (const p of portsOf(object)) {
    let n = nodePortType ? p.nodePort : undefined
    if (n !== undefined && taken.has(n)) return { error: `spec.ports: nodePort ${n} is already used by another service; choose another or leave it out to have one assigned` }
    n ??= previous.get(portKey(p))
    if (n !== undefined && (taken.has(n) || mine.has(n))) n = undefined
    n ??= freePort(startFor(`${key.namespace}/${key.name}/${portKey(p)}`), new Set([...taken, ...mine]))
    if (n === undefined) return { error: `no free port left in ${CLUSTER_PORT_MIN}-${CLUSTER_PORT_MAX} for service port ${portKey(p)}; delete unused services` }
    mine.add(n)
    assigned.push({ ...(p.name ? { name: p.name } : {}), port: p.port, clusterPort: n })
  }
  const spec = rec(object.spec)
  const { clusterPorts: _old, ...status } = rec(object.status)
  if (nodePortType) {
    const ports = portsOf(object).map((p, i) => ({ ...p, nodePort: assigned[i]!.clusterPort }))
    const out: Json = { ...object, spec: { ...spec, ports } }
    if (Object.keys(status).length > 0) out.status = status
    else delete out.status
    return { object: out }
  }
  return { object: { ...object, status: { ...status, clusterPorts: assigned } } }
}

/**
 * Assigns cluster ports for every Service put of one command (all or nothing). `prepared(op)` is the
 * object the store would write for the op; the result holds the objects to write instead, by op index.
 */
export function admitServicePorts(
  ops: readonly { readonly op: 'put' | 'delete'; readonly kind: string; readonly namespace: string; readonly name: string }[],
  stored: (k: ObjectKey) => { readonly object: Json } | undefined,
  services: () => readonly (ObjectKey & { readonly object: Json })[],
  prepared: (op: PutOp) => Json,
): Admission {
  if (!ops.some((o) => o.kind === 'Service')) return { ok: true, objects: new Map() }
  const held = new Map<string, Json | undefined>(services().map((s) => [`${s.namespace}/${s.name}`, s.object]))
  const out = new Map<number, Json>()
  for (const op of ops) if (op.kind === 'Service' && op.op === 'delete') held.set(`${op.namespace}/${op.name}`, undefined)
  for (const [i, op] of ops.entries()) {
    if (op.kind !== 'Service' || op.op !== 'put') continue
    const id = `${op.namespace}/${op.name}`
    const taken = new Set<number>()
    for (const [other, o] of held) if (other !== id && o) for (const c of clusterPortsOf(o)) taken.add(c.clusterPort)
    const r = assignServicePorts(op, prepared(op as PutOp), stored(op)?.object, taken)
    if ('error' in r) return { ok: false, key: { kind: op.kind, namespace: op.namespace, name: op.name }, message: `service ${id}: ${r.error}` }
    out.set(i, r.object)
    held.set(id, r.object)
  }
  return { ok: true, objects: out }
}
