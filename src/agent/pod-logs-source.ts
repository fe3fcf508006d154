// Where the bytes of a log request come from: this node's runtime when the pod runs here, else a relay
// that polls the pod's node over the mesh. Both settle the first read before the HTTP answer starts, so
// a refusal or an unreachable node is an HTTP error with its status, not a stream cut short.
import { setTimeout as delay } from 'node:timers/promises'
import type { CallOptions } from '../net/index.js'
import type { PodRuntime } from '../runtime/types.js'
import { ApiFailure } from './api/errors.js'
import { checkRunsHere } from './pod-logs-rpc.js'
import type { LogPollReply } from './pod-logs-sessions.js'
import type { LogTarget } from './pod-logs-target.js'

export type MeshCall = (peer: string, method: string, body: unknown, opts?: CallOptions) => Promise<unknown>

export interface LogStreamOptions {
  readonly follow: boolean
  readonly tail?: number
  /** The run before the current one (`-p`). */
  readonly previous?: boolean
  /** Aborted when the HTTP client goes away: ends the runtime's read, or the relay and its remote stream. */
  readonly signal: AbortSignal
  /** How long the first read may take before the answer starts anyway (quiet output). Default 250 ms. */
  readonly firstWaitMs?: number
  /** A relay's poll waits this long on the pod's node for new output. Default 1.5 s. */
  readonly pollWaitMs?: number
}

/** Polls lost on the way (timeout, broken connection) are retried this many times in a row, by cursor. */
const POLL_RETRIES = 3

/** The pod runs on this node: its runtime's stream, read at the HTTP client's pace. */
export async function localLogs(deps: { readonly nodeName: string; runtime(): PodRuntime | undefined }, target: LogTarget, opts: LogStreamOptions): Promise<AsyncIterable<Uint8Array>> {
  let rt: PodRuntime
  try {
    rt = checkRunsHere(deps, target.uid)
  } catch (err) {
    throw asApiFailure(err, target)
  }
  const it = rt.logs(target.uid, { container: target.container, follow: opts.follow, ...(opts.tail === undefined ? {} : { tail: opts.tail }), previous: opts.previous === true, signal: opts.signal })[Symbol.asyncIterator]()
  const first = it.next()
  first.catch(() => undefined)
  const settled = await Promise.race([first.then(() => true, () => true), delay(opts.firstWaitMs ?? 250, false)])
  if (settled) await first.catch((err: unknown) => Promise.reject(asApiFailure(err, target)))
  return (async function* () {
    try {
      for (let r = await first; r.done !== true; r = await it.next()) yield r.value
    } finally {
      await it.return?.()
    }
  })()
}

/** The pod runs on another node: open a stream there (errors surface here), then poll it until it ends. */
export async function relayedLogs(call: MeshCall, target: LogTarget, opts: LogStreamOptions): Promise<AsyncIterable<Uint8Array>> {
  const open = { uid: target.uid, container: target.container, follow: opts.follow, ...(opts.tail === undefined ? {} : { tail: opts.tail }), ...(opts.previous === true ? { previous: true } : {}) }
  const poll = async (session: string | undefined, cursor: number, waitMs: number) =>
    (await call(target.nodeId, 'podLogs', { ...open, ...(session === undefined ? {} : { session }), cursor, waitMs }, { timeoutMs: waitMs + 10_000, signal: opts.signal })) as LogPollReply
  let first: LogPollReply
  try {
    first = await poll(undefined, 0, opts.firstWaitMs ?? 250)
  } catch (err) {
    throw asApiFailure(err, target)
  }
  const pollWaitMs = opts.pollWaitMs ?? 1_500
  return (async function* () {
    let reply = first
    try {
      for (;;) {
        if (reply.chunk.length > 0) yield reply.chunk
        if (reply.ended || opts.signal.aborted) return
        let retries = 0
        for (let got = false; !got; ) {
          try {
            reply = await poll(reply.session, reply.cursor, pollWaitMs)
            got = true
          } catch (err) {
            if (opts.signal.aborted) return
            if (!LOST.has((err as Error).name) || ++retries > POLL_RETRIES) throw asApiFailure(err, target)
          }
        }
      }
    } finally {
      if (!reply.ended) void call(target.nodeId, 'podLogsClose', { session: reply.session }, { timeoutMs: 2_000 }).catch(() => undefined)
    }
  })()
}

/** The call or its reply was lost on the way: the same poll may be sent again. */
const LOST = new Set(['RpcTimeoutError', 'RpcConnectionLostError', 'PeerUnreachableError'])
const UNREACHABLE = new Set([...LOST, 'PeerIdMismatchError', 'MeshNotStartedError', 'RpcAbortedError'])

/** The HTTP error for a failure of the runtime, the pod's node or the mesh. */
export function asApiFailure(err: unknown, target: LogTarget): ApiFailure {
  if (err instanceof ApiFailure) return err
  const e = err instanceof Error ? err : new Error(String(err))
  const node = `node "${target.nodeName}"`
  switch (true) {
    case e.name === 'PodNotHereError' || e.name === 'NoPreviousRunError':
      return new ApiFailure('BadRequest', e.message)
    case e.name === 'NoRuntimeError' || e.name === 'TooManyLogStreamsError':
      return new ApiFailure('NodeUnavailable', e.message)
    case e.name === 'NoSuchMethodError':
      return new ApiFailure('NodeUnavailable', `${node}, which runs pod "${target.pod}", runs an agent too old to serve logs; upgrade it`)
    case UNREACHABLE.has(e.name):
      return new ApiFailure('NodeUnavailable', `${node}, which runs pod "${target.pod}", cannot be reached over the mesh (${e.message}); retry, or check it with \`agent get nodes\``)
    default:
      return new ApiFailure('Internal', `reading the log of pod "${target.pod}" on ${node} failed: ${e.message}; retry, or look at that node's agent log`)
  }
}
