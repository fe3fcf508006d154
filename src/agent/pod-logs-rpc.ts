// The mesh side of pod logs on the node that runs the pod: `podLogs` polls a stream of one of this
// node's containers (see pod-logs-sessions.ts), `podLogsClose` ends one early. Request/response RPC over
// the mesh's existing protocol rather than a stream protocol of its own: nothing in src/net changes, a
// lost reply is retried by cursor without losing or repeating output, and the reader's pace (one bounded
// chunk per poll) is the backpressure.
import type { Mesh } from '../net/index.js'
import type { PodRuntime } from '../runtime/types.js'
import { LogSessions, type LogPollReply, type LogPollRequest, type LogSessionsOptions } from './pod-logs-sessions.js'

/** This node has no runtime (`--runtime none`), or it is not started yet. */
export class NoRuntimeError extends Error {
  static override readonly name = 'NoRuntimeError'
  override readonly name = 'NoRuntimeError'
}

/** The pod is bound to this node but its runtime does not run it (not yet, or any more). */
export class PodNotHereError extends Error {
  static override readonly name = 'PodNotHereError'
  override readonly name = 'PodNotHereError'
}

export interface PodLogsServerDeps {
  readonly mesh: Pick<Mesh, 'handle'>
  readonly nodeName: string
  /** This node's runtime, once started. */
  runtime(): PodRuntime | undefined
}

/** Registers `podLogs` and `podLogsClose`; returns a function that unregisters them and ends every stream. */
export function servePodLogs(deps: PodLogsServerDeps, opts: LogSessionsOptions = {}): () => void {
  const sessions = new LogSessions((req, signal) => {
    const rt = deps.runtime()
    if (!rt) return (async function* () {})()
    return rt.logs(req.uid, { container: req.container, follow: req.follow, ...(req.tail === undefined ? {} : { tail: req.tail }), previous: req.previous === true, signal })
  }, opts)
  const offPoll = deps.mesh.handle('podLogs', async (body, from): Promise<LogPollReply> => {
    const req = pollRequest(body)
    if (req.session === undefined) checkRunsHere(deps, req.uid)
    return sessions.poll(from, req)
  })
  const offClose = deps.mesh.handle('podLogsClose', (body, from) => {
    const { session } = body as { session?: unknown }
    if (typeof session === 'string') sessions.close(from, session)
    return true
  })
  return () => {
    offPoll()
    offClose()
    sessions.closeAll()
  }
}

/** Refuses what the runtime could only answer with empty output. Exported: the local path checks the same. */
export function checkRunsHere(deps: Pick<PodLogsServerDeps, 'nodeName' | 'runtime'>, uid: string): PodRuntime {
  const rt = deps.runtime()
  if (!rt) throw new NoRuntimeError(`node "${deps.nodeName}" runs no pods (its agent was started with --runtime none, or is still starting)`)
  if (!rt.statuses().some((s) => s.uid === uid)) throw new PodNotHereError(`the pod is bound to node "${deps.nodeName}" but its runtime does not run it (not yet, or not any more); retry when it runs`)
  return rt
}

function pollRequest(body: unknown): LogPollRequest {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const { uid, container, follow, previous, cursor, waitMs } = b
  // msgpack may carry an absent field as nil.
  const tail = b.tail ?? undefined
  const session = b.session ?? undefined
  const bad = (what: string) => Object.assign(new Error(`podLogs: ${what}`), { name: 'BadLogRequestError' })
  if (typeof uid !== 'string' || typeof container !== 'string') throw bad('uid and container must be strings')
  if (typeof cursor !== 'number' || !Number.isSafeInteger(cursor) || cursor < 0) throw bad('cursor must be a byte offset')
  if (tail !== undefined && (typeof tail !== 'number' || !Number.isSafeInteger(tail) || tail < 0)) throw bad('tail must be a count of lines')
  if (session !== undefined && typeof session !== 'string') throw bad('session must be a string')
  return {
    uid,
    container,
    follow: follow === true,
    ...(tail === undefined ? {} : { tail }),
    previous: previous === true,
    ...(session === undefined ? {} : { session }),
    cursor,
    waitMs: typeof waitMs === 'number' && Number.isFinite(waitMs) ? waitMs : 0,
  }
}
