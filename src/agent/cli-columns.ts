// The columns `agent get` prints for each kind, like kubectl's, derived from the fields that exist:
// a status the cluster has not filled yet prints as `<none>` or `0/1`, never as a crash.
import { age } from './cli-age.js'
import type { KindInfo } from './cli-kinds.js'
import { arr, at, labelString, meta, num, rec, str, type Json } from './cli-object.js'

export interface Columns {
  readonly headers: readonly string[]
  readonly wideHeaders: readonly string[]
  /** The normal cells (without AGE, which the table adds), then the wide ones. */
  readonly cells: (o: Json) => { normal: string[]; wide: string[] }
}

const NONE = '<none>'

export function podStatus(o: Json): string {
  if (meta(o).deletionTimestamp) return 'Terminating'
  let reason = str(at(o, 'status', 'reason')) ?? str(at(o, 'status', 'phase')) ?? 'Pending'
  let running = false
  for (const c of arr(at(o, 'status', 'containerStatuses')).reverse()) {
    const waiting = rec(at(c, 'state', 'waiting'))
    const terminated = at(c, 'state', 'terminated')
    if (str(waiting.reason)) reason = str(waiting.reason)!
    else if (str(at(terminated, 'reason'))) reason = str(at(terminated, 'reason'))!
    else if (terminated !== undefined) reason = `ExitCode:${num(at(terminated, 'exitCode')) ?? '?'}`
    else if (c.ready === true && at(c, 'state', 'running') !== undefined) running = true
  }
  return reason === 'Completed' && running ? 'Running' : reason
}

function podCells(o: Json) {
  const statuses = arr(at(o, 'status', 'containerStatuses'))
  const total = Math.max(arr(at(o, 'spec', 'containers')).length, statuses.length)
  const ready = statuses.filter((c) => c.ready === true).length
  const restarts = statuses.reduce((n, c) => n + (num(c.restartCount) ?? 0), 0)
  return {
    normal: [meta(o).name, `${ready}/${total}`, podStatus(o), String(restarts)],
    wide: [str(at(o, 'status', 'podIP')) ?? NONE, str(at(o, 'spec', 'nodeName')) ?? NONE],
  }
}

function deploymentCells(o: Json) {
  const desired = num(at(o, 'spec', 'replicas')) ?? 1
  const s = rec(o.status)
  const containers = arr(at(o, 'spec', 'template', 'spec', 'containers'))
  return {
    normal: [meta(o).name, `${num(s.readyReplicas) ?? 0}/${desired}`, String(num(s.updatedReplicas) ?? 0), String(num(s.availableReplicas) ?? 0)],
    wide: [
      containers.map((c) => str(c.name) ?? '').join(',') || NONE,
      containers.map((c) => str(c.image) ?? '').join(',') || NONE,
      selectorString(at(o, 'spec', 'selector')) ?? NONE,
    ],
  }
}

/** A Deployment's `{matchLabels, matchExpressions}` or a Service's plain map, as `a=b,c in (x,y)`. */
export function selectorString(sel: unknown): string | undefined {
  const s = rec(sel)
  if (s.matchLabels === undefined && s.matchExpressions === undefined) return labelString(rec(s) as Record<string, string>)
  const parts = Object.entries(rec(s.matchLabels)).map(([k, v]) => `${k}=${str(v) ?? ''}`)
  for (const e of arr(s.matchExpressions)) {
    const values = Array.isArray(e.values) ? `(${e.values.join(',')})` : ''
    const op = str(e.operator)
    parts.push(op === 'Exists' ? `${e.key}` : op === 'DoesNotExist' ? `!${e.key}` : `${e.key} ${op?.toLowerCase() ?? '?'} ${values}`)
  }
  return parts.length ? parts.join(',') : undefined
}

/** kubectl's PORT(S): `80/TCP`, `80:30080/TCP` (port:nodePort; the target port is describe's), comma-separated. */
export function servicePorts(o: Json): string {
  const ports = arr(at(o, 'spec', 'ports')).map((p) => {
    const node = str(p.nodePort)
    return `${str(p.port) ?? '?'}${node ? `:${node}` : ''}/${str(p.protocol) ?? 'TCP'}`
  })
  return ports.length ? ports.join(',') : NONE
}

function serviceCells(o: Json) {
  const endpoints = arr(at(o, 'status', 'endpoints'))
  return {
    normal: [meta(o).name, str(at(o, 'spec', 'type')) ?? NONE, selectorString(at(o, 'spec', 'selector')) ?? NONE, servicePorts(o)],
    wide: [endpoints.length ? endpoints.map(endpointString).join(',') : NONE],
  }
}

export function endpointString(e: Json): string {
  const ip = str(e.ip) ?? str(e.address) ?? str(e.nodeName) ?? '?'
  return e.port === undefined ? ip : `${ip}:${str(e.port)}`
}

function dataCount(o: Json): string {
  return String(Object.keys(rec(o.data)).length + Object.keys(rec(o.binaryData)).length)
}

export function nodeReady(o: Json): string {
  const ready = arr(at(o, 'status', 'conditions')).find((c) => c.type === 'Ready')
  const base = !ready ? 'Unknown' : ready.status === 'True' || ready.status === true ? 'Ready' : ready.status === 'False' || ready.status === false ? 'NotReady' : 'Unknown'
  return at(o, 'spec', 'unschedulable') === true ? `${base},SchedulingDisabled` : base
}

export function nodeRoles(o: Json): string {
  const m = meta(o)
  const roles = Object.keys(m.labels)
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
  for (const r of [m.labels['podmesh.io/role'], str(at(o, 'status', 'raftRole')), str(at(o, 'status', 'membership'))]) if (r && !roles.includes(r)) roles.push(r)
  return roles.length ? roles.sort().join(',') : NONE
}

function nodeCells(o: Json) {
  const info = rec(at(o, 'status', 'nodeInfo'))
  const address = arr(at(o, 'status', 'addresses')).find((a) => a.type === 'InternalIP') ?? arr(at(o, 'status', 'addresses'))[0]
  return {
    normal: [meta(o).name, nodeReady(o), nodeRoles(o)],
    wide: [str(address?.address) ?? NONE, str(info.osImage) ?? NONE, str(info.containerRuntimeVersion) ?? NONE],
  }
}

const VERSION = (o: Json) => str(at(o, 'status', 'nodeInfo', 'agentVersion')) ?? str(at(o, 'status', 'nodeInfo', 'kubeletVersion')) ?? str(at(o, 'status', 'version')) ?? NONE

const COLUMNS: Readonly<Record<string, Columns>> = {
  Pod: { headers: ['NAME', 'READY', 'STATUS', 'RESTARTS'], wideHeaders: ['IP', 'NODE'], cells: podCells },
  Deployment: { headers: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE'], wideHeaders: ['CONTAINERS', 'IMAGES', 'SELECTOR'], cells: deploymentCells },
  Service: { headers: ['NAME', 'TYPE', 'SELECTOR', 'PORT(S)'], wideHeaders: ['ENDPOINTS'], cells: serviceCells },
  ConfigMap: { headers: ['NAME', 'DATA'], wideHeaders: [], cells: (o) => ({ normal: [meta(o).name, dataCount(o)], wide: [] }) },
  Secret: { headers: ['NAME', 'TYPE', 'DATA'], wideHeaders: [], cells: (o) => ({ normal: [meta(o).name, str(o.type) ?? 'Opaque', dataCount(o)], wide: [] }) },
  Node: { headers: ['NAME', 'STATUS', 'ROLES'], wideHeaders: ['INTERNAL-IP', 'OS-IMAGE', 'CONTAINER-RUNTIME'], cells: nodeCells },
}

export interface TableOptions {
  readonly wide?: boolean
  /** Adds a NAMESPACE column first (`-A`). */
  readonly allNamespaces?: boolean
  readonly now: number
}

/** The header and one row per object: kind columns, AGE, then (for Nodes) VERSION, then the wide ones. */
export function tableOf(kind: KindInfo, items: readonly Json[], opts: TableOptions): { headers: string[]; rows: string[][] } {
  const cols = COLUMNS[kind.kind]!
  const ns = opts.allNamespaces && kind.namespaced
  const tail = kind.kind === 'Node' ? ['AGE', 'VERSION'] : ['AGE']
  const headers = [...(ns ? ['NAMESPACE'] : []), ...cols.headers, ...tail, ...(opts.wide ? cols.wideHeaders : [])]
  const rows = items.map((o) => {
    const { normal, wide } = cols.cells(o)
    const m = meta(o)
    const after = kind.kind === 'Node' ? [age(m.creationTimestamp, opts.now), VERSION(o)] : [age(m.creationTimestamp, opts.now)]
    return [...(ns ? [m.namespace] : []), ...normal, ...after, ...(opts.wide ? wide : [])]
  })
  return { headers, rows }
}
