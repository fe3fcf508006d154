// What the agent's DNS responder answers (pure): `NAME.NAMESPACE.svc` and `NAME.NAMESPACE.svc.cluster.local`
// → an A record with the service address; `_PORT._tcp.NAME.NAMESPACE.svc[.cluster.local]` → SRV with the
// port's cluster port; other names in those zones → NXDOMAIN. Names outside them are not ours: `forward`.
import type { Answer, Packet, Question } from 'dns-packet'

export const CLUSTER_DOMAIN = 'cluster.local'
const TTL = 5
const RCODE_NXDOMAIN = 3
const RCODE_NOTIMP = 4
// dns-packet's flag constants, inlined: the package is CommonJS and these are plain bits of the header.
const AUTHORITATIVE_ANSWER = 1 << 10
const RECURSION_DESIRED = 1 << 8

export interface ServiceLookup {
  /** The cluster ports of a service by port name ('' for an unnamed port), or undefined when no such service. */
  (namespace: string, name: string): ReadonlyMap<string, number> | undefined
}

export type Reply = { readonly kind: 'answer'; readonly packet: Packet } | { readonly kind: 'forward' }

interface ParsedName {
  readonly namespace: string
  readonly name: string
  readonly port?: string
}

/** `web.default.svc`, `web.default.svc.cluster.local`, `_http._tcp.web.default.svc…`; undefined when outside the zone. */
export function parseServiceName(qname: string): ParsedName | 'inZone' | undefined {
  const name = qname.toLowerCase().replace(/\.$/, '')
  const zone = name.endsWith(`.svc.${CLUSTER_DOMAIN}`) ? name.slice(0, -`.svc.${CLUSTER_DOMAIN}`.length) : name.endsWith('.svc') ? name.slice(0, -'.svc'.length) : undefined
  if (zone === undefined) return name === CLUSTER_DOMAIN || name.endsWith(`.${CLUSTER_DOMAIN}`) || name === 'svc' ? 'inZone' : undefined
  const labels = zone.split('.')
  if (labels.length === 2) return { name: labels[0]!, namespace: labels[1]! }
  if (labels.length === 4 && labels[0]!.startsWith('_') && labels[1] === '_tcp') return { port: labels[0]!.slice(1), name: labels[2]!, namespace: labels[3]! }
  return 'inZone'
}

function records(q: Question, parsed: ParsedName, ports: ReadonlyMap<string, number>, address: string): Answer[] | undefined {
  const target = `${parsed.name}.${parsed.namespace}.svc.${CLUSTER_DOMAIN}`
  if (parsed.port === undefined) {
    if (q.type === 'A') return [{ type: 'A', name: q.name, ttl: TTL, data: address }]
    return q.type === 'AAAA' || q.type === 'SRV' || q.type === 'TXT' ? [] : undefined
  }
  const port = ports.get(parsed.port)
  if (port === undefined) return undefined
  if (q.type !== 'SRV') return []
  return [{ type: 'SRV', name: q.name, ttl: TTL, data: { priority: 0, weight: 100, port, target } }]
}

/** The reply to one query; `address` is where pods reach services (the A record's value). */
export function answer(query: Packet, lookup: ServiceLookup, address: string): Reply {
  const q = query.questions?.[0]
  const base = { type: 'response' as const, id: query.id ?? 0, questions: query.questions ?? [] }
  const rd = (query.flags ?? 0) & RECURSION_DESIRED
  if (!q || (query.questions?.length ?? 0) !== 1) return { kind: 'answer', packet: { ...base, flags: rd | RCODE_NOTIMP } }
  const parsed = parseServiceName(q.name)
  if (parsed === undefined) return { kind: 'forward' }
  const nx = { kind: 'answer' as const, packet: { ...base, flags: AUTHORITATIVE_ANSWER | rd | RCODE_NXDOMAIN } }
  if (parsed === 'inZone') return nx
  const ports = lookup(parsed.namespace, parsed.name)
  if (!ports) return nx
  const answers = records(q, parsed, ports, address)
  if (!answers) return nx
  const additionals: Answer[] = answers.some((a) => a.type === 'SRV') ? [{ type: 'A', name: `${parsed.name}.${parsed.namespace}.svc.${CLUSTER_DOMAIN}`, ttl: TTL, data: address }] : []
  return { kind: 'answer', packet: { ...base, flags: AUTHORITATIVE_ANSWER | rd, answers, additionals } }
}
