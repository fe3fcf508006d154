// `agent scale deployment NAME --replicas N`: read, set spec.replicas, write back with the version
// read (compare-and-set); on a conflict someone else wrote in between, so read again and retry.
// Setting a count is idempotent, so a write whose outcome is unknown (Indeterminate) or that found no
// leader is retried the same way: the next read shows whether it landed.
import { ApiError, UsageError } from './errors.js'
import type { ClientFlags } from './cli-client.js'
import { ApiClient, apiPath } from './client.js'
import { parseKindArgs, qualifiedName } from './cli-kinds.js'
import { meta, rec, type Json } from './cli-object.js'
import { processIo, type CliIo } from './cli-io.js'

export interface ScaleFlags extends ClientFlags {
  readonly namespace: string
  readonly replicas: string
}

export const SCALE_ATTEMPTS = 5
const RETRIED = new Set(['Conflict', 'Indeterminate', 'NoLeader'])

export function parseReplicas(v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`--replicas must be a whole number >= 0, not "${v}"`)
  return Number(v)
}

/** The object to PUT: the one read, with spec.replicas set and its resourceVersion kept for the compare-and-set. */
export function withReplicas(o: Json, replicas: number): Json {
  return { ...o, spec: { ...rec(o.spec), replicas } }
}

export async function scaleCommand(kindArg: string, nameArg: string | undefined, flags: ScaleFlags, io: CliIo = processIo): Promise<void> {
  const { kind, name } = parseKindArgs(kindArg, nameArg)
  if (kind.kind !== 'Deployment') throw new UsageError(`only deployments can be scaled, not ${kind.plural}`)
  if (!name) throw new UsageError('give the name of the deployment to scale')
  const replicas = parseReplicas(flags.replicas)
  const api = new ApiClient(flags)
  const path = apiPath(`/v1/${kind.plural}/${encodeURIComponent(name)}`, { namespace: flags.namespace })
  for (let attempt = 1; ; attempt++) {
    const current = await api.request<Json>('GET', path)
    if (!meta(current).resourceVersion) throw new ApiError(`${qualifiedName(kind, name)} came back without a resourceVersion; cannot scale it safely`, 0, 'Internal')
    try {
      await api.request('PUT', path, { body: JSON.stringify(withReplicas(current, replicas)) })
      io.out(`${qualifiedName(kind, name)} scaled\n`)
      return
    } catch (err) {
      if (!(err instanceof ApiError) || !RETRIED.has(err.code) || attempt >= SCALE_ATTEMPTS) throw err
    }
  }
}
