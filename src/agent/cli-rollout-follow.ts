// Following a Deployment's rollout from a client (`agent rollout status`, `agent apply --wait`): the
// verdict on one observed object (pure, kubectl's rules plus podmesh's automatic rollback), and a loop
// over the watch API that prints progress (one rewritten line on a terminal, plain lines otherwise)
// until the rollout completes, fails, or the time is up.
import { setTimeout as delay } from 'node:timers/promises'
import { ApiError } from './errors.js'
import { ApiClient, apiPath } from './client.js'
import { arr, at, meta, num, rec, str, type Json } from './cli-object.js'
import type { CliIo } from './cli-io.js'

// Failures are ApiErrors (the CLI prints them and exits 1) with their own stable codes.
/** The rollout failed or was rolled back: code RolloutFailed. */
export function rolloutFailed(message: string): ApiError {
  return new ApiError(message, 0, 'RolloutFailed')
}

/** Waiting ended before the rollout did (it goes on in the cluster): code RolloutTimeout. */
export function rolloutTimeout(message: string): ApiError {
  return new ApiError(message, 0, 'RolloutTimeout')
}

const isFailure = (err: unknown): boolean => err instanceof ApiError && err.code === 'RolloutFailed'

export type Verdict = { readonly state: 'waiting' | 'complete' | 'failed'; readonly message: string }

/** The current revision's record in the status history, if the controller has written one. */
export function currentRevision(d: Json): Json | undefined {
  const status = rec(d.status)
  return arr(status.history).find((h) => h.revision === status.revision)
}

/**
 * What one observed Deployment says about its rollout. `minGeneration`: the generation the caller
 * changed it to (apply --wait), so that a status from before the change is not mistaken for the outcome.
 */
export function rolloutVerdict(d: Json, minGeneration = 0): Verdict {
  const name = meta(d).name
  const q = `deployment "${name}"`
  const s = rec(d.status)
  const generation = num(at(d, 'metadata', 'generation')) ?? 0
  const observed = num(s.observedGeneration) ?? 0
  const observing: Verdict = { state: 'waiting', message: `Waiting for ${q} spec update to be observed...` }
  if (observed < minGeneration) return observing
  // The controller's rollback changes the spec itself: it says so before it observes its own change.
  const rollback = rec(s.rollback)
  const current = currentRevision(d)
  if (str(rollback.templateHash) !== undefined && str(rollback.templateHash) === str(current?.templateHash)) {
    return { state: 'failed', message: `${q} rollout failed: ${str(rollback.message) ?? 'rolled back'} (now revision ${num(s.revision) ?? '?'})` }
  }
  if (observed < generation) return observing
  const progressing = arr(s.conditions).find((c) => c.type === 'Progressing')
  if (progressing?.reason === 'ProgressDeadlineExceeded') return { state: 'failed', message: `${q} exceeded its progress deadline: ${str(progressing.message) ?? ''}`.trim() }
  const desired = num(at(d, 'spec', 'replicas')) ?? 1
  const updated = num(s.updatedReplicas) ?? 0
  const total = num(s.replicas) ?? 0
  const availableCount = num(s.availableReplicas) ?? 0
  const paused = at(d, 'spec', 'paused') === true ? ` (paused: resume with \`agent rollout resume deployment ${name}\`)` : ''
  const waiting = (what: string): Verdict => ({ state: 'waiting', message: `Waiting for ${q} rollout to finish: ${what}...${paused}` })
  if (updated < desired) return waiting(`${updated} out of ${desired} new replicas have been updated`)
  if (total > updated) return waiting(`${total - updated} old replicas are pending termination`)
  if (availableCount < updated) return waiting(`${availableCount} of ${updated} updated replicas are available`)
  return { state: 'complete', message: `${q} successfully rolled out` }
}

export interface FollowOptions {
  readonly namespace: string
  readonly name: string
  readonly io: CliIo
  /** Rewrite one line in place (a terminal) instead of printing each new message on its own line. */
  readonly tty: boolean
  /** 0 or absent: no limit. */
  readonly timeoutMs?: number
  readonly minGeneration?: number
  /** false: print the verdict on the current object once (`--no-watch`). */
  readonly watch?: boolean
}

/** Follows the rollout; resolves when it completes, throws ApiError RolloutFailed or RolloutTimeout. */
export async function followRollout(api: ApiClient, opts: FollowOptions): Promise<void> {
  const printer = new ProgressPrinter(opts.io, opts.tty)
  const timeout = opts.timeoutMs ? AbortSignal.timeout(opts.timeoutMs) : undefined
  const signals = [timeout, opts.io.signal].filter((s): s is AbortSignal => s !== undefined)
  const signal = signals.length ? AbortSignal.any(signals) : undefined
  let last: Verdict = { state: 'waiting', message: '' }
  const judge = (d: Json): boolean => {
    last = rolloutVerdict(d, opts.minGeneration)
    printer.show(last)
    if (last.state === 'failed') throw rolloutFailed(last.message)
    return last.state === 'complete' || opts.watch === false
  }
  try {
    await watchDeployment(api, opts, judge, signal)
  } catch (err) {
    if (isFailure(err) || !timeout?.aborted) throw err
  } finally {
    printer.end()
  }
  if (last.state !== 'complete' && opts.watch !== false && timeout?.aborted) {
    const secs = Math.round(opts.timeoutMs! / 1000)
    throw rolloutTimeout(`gave up waiting after ${secs} s (${last.message || 'no status yet'}); the rollout goes on: follow it with \`agent rollout status deployment ${opts.name}\``)
  }
}

/** Lists, then watches from the list's version, handing each version of the deployment to `judge` until it returns true. */
async function watchDeployment(api: ApiClient, opts: FollowOptions, judge: (d: Json) => boolean, signal: AbortSignal | undefined): Promise<void> {
  const list = async (): Promise<string> => {
    const l = await api.request<Json>('GET', apiPath('/v1/deployments', { namespace: opts.namespace }), signal ? { signal } : {})
    const d = arr(l?.items).find((o) => meta(o).name === opts.name)
    if (!d) throw new ApiError(`deployment "${opts.name}" not found in namespace "${opts.namespace}": check the name with \`agent get deployments -n ${opts.namespace}\``, 404, 'NotFound')
    if (judge(d)) return ''
    return str(at(l, 'metadata', 'resourceVersion')) ?? '0'
  }
  let rv = await list()
  while (rv !== '' && !signal?.aborted) {
    const path = apiPath('/v1/watch', { kind: 'deployments', namespace: opts.namespace, resourceVersion: rv })
    try {
      for await (const line of api.lines(path, signal)) {
        const ev = rec(line)
        const o = rec(ev.object)
        if (ev.type === 'ERROR') {
          rv = await list()
          break
        }
        rv = meta(o).resourceVersion ?? rv
        if (ev.type === 'BOOKMARK' || meta(o).name !== opts.name) continue
        if (ev.type === 'DELETED') throw rolloutFailed(`deployment "${opts.name}" was deleted while its rollout was followed`)
        if (judge(o)) return
      }
    } catch (err) {
      if (!(err instanceof ApiError) || (err.code !== 'Gone' && err.code !== 'Unreachable')) throw err
      if (signal?.aborted) return
      rv = await list().catch((e: unknown) => (e instanceof ApiError && e.code === 'Unreachable' ? rv : Promise.reject(e)))
      continue
    }
    if (rv === '' || signal?.aborted) return
    // The agent ended the stream (restart, leadership change): resume from the last version seen.
    await delay(500, undefined, signal ? { signal } : {}).catch(() => undefined)
  }
}

/** One line rewritten in place on a terminal; each new message on its own line otherwise. */
class ProgressPrinter {
  private shown = ''
  private open = false

  constructor(
    private readonly io: CliIo,
    private readonly tty: boolean,
  ) {}

  show(v: Verdict): void {
    if (v.state === 'failed') return this.end()
    if (v.message === this.shown) return
    this.shown = v.message
    if (!this.tty) return this.io.out(v.message + '\n')
    this.io.out(`\r\x1b[2K${v.message}`)
    this.open = true
    if (v.state === 'complete') this.end()
  }

  end(): void {
    if (this.open) this.io.out('\n')
    this.open = false
  }
}
