// Endpoints are computed by every agent, not stored: fetched beside a Service and shown as its status.
import { ApiClient, apiPath } from './client.js'
import { meta, type Json } from './cli-object.js'

export async function withEndpoints(api: ApiClient, o: Json, namespace: string | undefined): Promise<void> {
  const name = meta(o).name
  if (!name) return
  const e = await api.request<Json>('GET', apiPath(`/v1/services/${encodeURIComponent(name)}/endpoints`, { namespace })).catch(() => undefined)
  if (!e) return
  const ready = (Array.isArray(e.ports) ? e.ports : []).flatMap((p: Json) => (Array.isArray(p.ready) ? p.ready : []))
  o.status = { ...(o.status as Json | undefined), endpoints: ready, notReady: e.notReady, listeners: e.listeners }
}
