// `agent cordon NODE`, `agent uncordon NODE`, `agent drain NODE`. Cordon sets spec.unschedulable
// (compare-and-set on the Node, retried on a conflict). Drain cordons and asks the leader's drain
// controller to move the node's pods (annotation podmesh.io/drain), then follows until none is left.
import { setTimeout as sleep } from 'node:timers/promises'
import { DRAIN_ANNOTATION, EVICT_ANNOTATION } from '../controllers/objects.js'
import type { ClientFlags } from './cli-client.js'
import { processIo, type CliIo } from './cli-io.js'
import { arr, at, meta, rec, str, type Json } from './cli-object.js'
import { ApiClient } from './client.js'
import { ApiError, UsageError } from './errors.js'

export interface DrainFlags extends ClientFlags {
  /** Seconds to wait for the pods to move. */
  readonly timeout?: string
}

const RETRIED = new Set(['Conflict', 'Indeterminate', 'NoLeader'])

/** GET the Node, change it, PUT it back at the version read; again on a conflict. */
export async function updateNode(api: ApiClient, name: string, change: (o: Json) => Json): Promise<Json> {
  const path = `/v1/nodes/${encodeURIComponent(name)}`
  for (let attempt = 1; ; attempt++) {
    const current = await api.request<Json>('GET', path)
    try {
      return await api.request<Json>('PUT', path, { body: JSON.stringify(change(current)) })
    } catch (err) {
      if (!(err instanceof ApiError) || !RETRIED.has(err.code) || attempt >= 10) throw err
    }
    // The node's own status writes (Ready turning) may race a cordon: read again a little later.
    await sleep(25 * attempt)
  }
}

export function cordoned(o: Json, on: boolean, drain: boolean): Json {
  const m = rec(o.metadata)
  const annotations = { ...rec(m.annotations) }
  if (drain) annotations[DRAIN_ANNOTATION] = 'true'
  else delete annotations[DRAIN_ANNOTATION]
  return { ...o, metadata: { ...m, annotations }, spec: { ...rec(o.spec), unschedulable: on } }
}

function nodeName(name: string | undefined): string {
  if (!name) throw new UsageError('give the name of a node (list them with `agent get nodes`)')
  return name
}

export async function cordonCommand(name: string | undefined, flags: ClientFlags, io: CliIo = processIo): Promise<void> {
  const n = nodeName(name)
  await updateNode(new ApiClient(flags), n, (o) => cordoned(o, true, meta(o).annotations[DRAIN_ANNOTATION] === 'true'))
  io.out(`node/${n} cordoned\n`)
}

export async function uncordonCommand(name: string | undefined, flags: ClientFlags, io: CliIo = processIo): Promise<void> {
  const n = nodeName(name)
  await updateNode(new ApiClient(flags), n, (o) => cordoned(o, false, false))
  io.out(`node/${n} uncordoned\n`)
}

/** The node's pods that the drain moves (controlled ones, not finished) and the bare ones it leaves. */
export function podsOn(node: string, pods: readonly Json[]): { moving: Json[]; bare: Json[] } {
  const here = pods.filter((p) => str(at(p, 'spec', 'nodeName')) === node && !['Failed', 'Succeeded'].includes(str(at(p, 'status', 'phase')) ?? ''))
  const controlled = (p: Json) => arr(at(p, 'metadata', 'ownerReferences')).some((r) => r.controller === true)
  return { moving: here.filter(controlled), bare: here.filter((p) => !controlled(p)) }
}

export async function drainCommand(name: string | undefined, flags: DrainFlags, io: CliIo = processIo): Promise<void> {
  const n = nodeName(name)
  const api = new ApiClient(flags)
  await updateNode(api, n, (o) => cordoned(o, true, true))
  io.out(`node/${n} cordoned\n`)
  const seconds = flags.timeout ?? '300'
  const result = await followDrain(api, n, Number(seconds) * 1000, io)
  if (result.kind === 'timeout') throw new ApiError(`node/${n}: ${result.left} pod(s) still on the node after ${seconds} s (a deployment cannot lose a ready pod yet?)`, 0, 'Timeout')
  for (const key of result.bare) io.out(`left pod/${key}: no controller would recreate it (delete it yourself)\n`)
  io.out(`node/${n} drained\n`)
}

export type DrainResult = { readonly kind: 'drained'; readonly bare: readonly string[] } | { readonly kind: 'timeout'; readonly left: number }

/** Prints each pod of a draining node as it is evicted and gone, until none that would move is left or `timeoutMs` passed. */
export async function followDrain(api: ApiClient, node: string, timeoutMs: number, io: CliIo): Promise<DrainResult> {
  const deadline = Date.now() + timeoutMs
  const seen = new Map<string, 'evicting' | 'running'>()
  const key = (p: Json) => `${meta(p).namespace}/${meta(p).name}`
  for (;;) {
    const list = await api.request<Json>('GET', '/v1/pods')
    const { moving, bare } = podsOn(node, arr(list.items))
    const now = new Set(moving.map(key))
    for (const p of moving) {
      const evicting = meta(p).annotations[EVICT_ANNOTATION] === 'true'
      if (evicting && seen.get(key(p)) !== 'evicting') io.out(`evicting pod/${key(p)}\n`)
      seen.set(key(p), evicting ? 'evicting' : 'running')
    }
    for (const k of [...seen.keys()]) {
      if (now.has(k)) continue
      io.out(`pod/${k} evicted\n`)
      seen.delete(k)
    }
    if (moving.length === 0) return { kind: 'drained', bare: bare.map(key) }
    if (Date.now() > deadline) return { kind: 'timeout', left: moving.length }
    await new Promise((r) => setTimeout(r, 500))
  }
}
