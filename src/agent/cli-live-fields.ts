// What the agents compute and never store, fetched beside the objects it belongs to and shown as their
// status in tables and describe (never in -o json/yaml, which print objects as served).
import { ApiClient, apiPath } from './client.js'
import { arr, meta, rec, str, type Json } from './cli-object.js'
import type { StatusView } from './status-view.js'
import { MEMBER_ID_ANNOTATION } from '../controllers/objects.js'

/** A Service's endpoints, as this agent's routing mesh sees them. */
export async function withEndpoints(api: ApiClient, o: Json, namespace: string | undefined): Promise<void> {
  const name = meta(o).name
  if (!name) return
  const e = await api.request<Json>('GET', apiPath(`/v1/services/${encodeURIComponent(name)}/endpoints`, { namespace })).catch(() => undefined)
  if (!e) return
  const ready = arr(e.ports).flatMap((p) => arr(p.ready))
  o.status = { ...rec(o.status), endpoints: ready, notReady: e.notReady, listeners: e.listeners }
}

/** Each Node's place in the Raft membership (leader, voter, learner), from the fleet's status. */
export async function withMembership(api: ApiClient, nodes: readonly Json[]): Promise<void> {
  const s = await api.request<StatusView>('GET', '/v1/status').catch(() => undefined)
  if (!s) return
  const byId = new Map(s.members.map((m) => [m.id, m]))
  for (const o of nodes) {
    const m = byId.get(str(meta(o).annotations[MEMBER_ID_ANNOTATION]) ?? '')
    if (m) o.status = { ...rec(o.status), membership: m.role, ...(m.leader ? { raftRole: 'leader' } : {}) }
  }
}
