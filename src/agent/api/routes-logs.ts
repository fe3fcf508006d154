// GET /v1/pods/{name}/log: a container's output as text/plain, from whichever node runs the pod.
// Query names as Kubernetes': namespace, container, follow, tailLines, previous.
import type { PodRuntime } from '../../runtime/types.js'
import type { NodeId } from '../../raft/types.js'
import type { ClusterState } from '../../state/cluster-state.js'
import { localLogs, relayedLogs, type LogStreamOptions, type MeshCall } from '../pod-logs-source.js'
import { resolveLogTarget, type LogRequest } from '../pod-logs-target.js'
import type { Agent } from '../agent.js'
import type { ObjectApiDeps } from './context.js'
import { ApiFailure } from './errors.js'
import type { ApiRequest, ResponseSink, Route } from './server.js'

export interface LogRouteDeps {
  readonly state: ClusterState
  readonly selfId: NodeId
  readonly nodeName: string
  runtime(): PodRuntime | undefined
  readonly call: MeshCall
  /** A linearizable read: a pod created through another node a moment ago is found. */
  readBarrier(): Promise<void>
}

/** The deps of an agent; `objectDeps` gives the API's shared read barrier. */
export function agentLogDeps(a: Agent, objectDeps: () => Pick<ObjectApiDeps, 'readBarrier'>): LogRouteDeps {
  return {
    state: a.state,
    selfId: a.id,
    nodeName: a.name,
    runtime: () => a.orchestration?.runtime,
    call: (peer, method, body, opts) => a.mesh.call(peer, method, body, opts),
    readBarrier: () => objectDeps().readBarrier(),
  }
}

export function logRoutes(deps: () => LogRouteDeps, tuning: Pick<LogStreamOptions, 'firstWaitMs' | 'pollWaitMs'> = {}): Route[] {
  return [{ method: 'GET', path: '/v1/pods/:name/log', name: 'podLog', handler: async (req, res) => serveLog(deps(), req, res, tuning) }]
}

async function serveLog(d: LogRouteDeps, req: ApiRequest, res: ResponseSink, tuning: Pick<LogStreamOptions, 'firstWaitMs' | 'pollWaitMs'>) {
  const r = logRequest(req)
  if (req.query.get('stale') !== 'true') await d.readBarrier()
  const target = resolveLogTarget(d.state, r)
  const opts: LogStreamOptions = { follow: r.follow, ...(r.tail === undefined ? {} : { tail: r.tail }), previous: r.previous, signal: req.signal, ...tuning }
  const source = target.nodeId === d.selfId ? await localLogs(d, target, opts) : await relayedLogs(d.call, target, opts)
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
  res.flushHeaders?.()
  try {
    for await (const chunk of source) {
      if (!res.write(chunk)) await drained(res, req.signal)
      if (req.signal.aborted) break
    }
  } catch (err) {
    // The answer has started: the status cannot change any more. Cut it off without its end (a clean end
    // would read as "the output is complete", and `logs -f` would exit 0) and say why in the agent's log.
    req.log.warn({ err, pod: target.pod, node: target.nodeName }, 'pod log stream broke')
    if (res.destroy) {
      res.destroy()
      return { streamed: true } as const
    }
  }
  res.end()
  return { streamed: true } as const
}

function logRequest(req: ApiRequest): LogRequest {
  const q = req.query
  const tailLines = q.get('tailLines')
  const container = q.get('container') || undefined
  let tail: number | undefined
  if (tailLines !== null && tailLines !== '') {
    tail = Number(tailLines)
    if (!Number.isSafeInteger(tail) || tail < 0) throw new ApiFailure('BadRequest', `tailLines must be a whole number of lines, 0 or more (got "${tailLines}")`)
  }
  return {
    namespace: q.get('namespace') || 'default',
    pod: req.params.name!,
    ...(container === undefined ? {} : { container }),
    follow: flag(q, 'follow'),
    ...(tail === undefined ? {} : { tail }),
    previous: flag(q, 'previous'),
  }
}

function flag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name)
  if (v === null || v === '' || v === 'false') return false
  if (v === 'true') return true
  throw new ApiFailure('BadRequest', `${name} must be true or false (got "${v}")`)
}

function drained(res: ResponseSink, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (!res.once || signal.aborted) return resolve()
    const done = () => {
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done)
    res.once('drain', done)
  })
}
