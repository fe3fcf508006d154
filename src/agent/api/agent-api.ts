import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { parseJoinToken } from '../../net/index.js'
import { SecretBox } from '../../state/secret-box.js'
import type { Agent } from '../agent.js'
import type { ObjectApiDeps } from './context.js'
import { ApiFailure } from './errors.js'
import { AgentMetrics } from './metrics.js'
import { ReadBarrier } from './read-barrier.js'
import { applyRoutes } from './routes-apply.js'
import { clusterRoutes } from './routes-cluster.js'
import { agentLogDeps, logRoutes } from './routes-logs.js'
import { objectRoutes } from './routes-objects.js'
import { watchRoutes } from './routes-watch.js'
import { createApiServer, type ApiServer, type Route } from './server.js'
import { endpointsRoutes } from '../../services/endpoints-route.js'

export interface AgentApiOptions {
  readonly host: string
  readonly port: number
  readonly log: Logger
  /** Required from clients when set (the API listens beyond loopback). */
  readonly bearerToken?: string
  /** The cluster's join token: the key for Secrets derives from it. */
  readonly joinToken: string
  readonly maxBodyBytes?: number
}

/** The agent's HTTP API: every route, the secret key, the batched read barrier and the metrics, wired to one agent. */
export function createAgentApi(agent: () => Agent, opts: AgentApiOptions): ApiServer {
  const secrets = SecretBox.fromJoinSecret(parseJoinToken(opts.joinToken).secret)
  let deps: ObjectApiDeps | undefined
  const objectDeps = () => (deps ??= agentDeps(agent(), secrets, metrics))
  const watches = watchRoutes(objectDeps)
  const metrics = new AgentMetrics({
    raftStatus: () => agent().driver.status(),
    raftCounters: () => agent().driver.counters,
    netCounters: () => agent().mesh.counters,
    objects: () => agent().state.store.size,
    watchers: () => watches.open(),
    meshPorts: () => agent().services?.mesh.counters.byPort ?? new Map(),
  })
  const metricsRoute: Route = {
    method: 'GET',
    path: '/metrics',
    name: 'metrics',
    handler: async (_req, res) => {
      const text = await metrics.registry.metrics()
      res.writeHead(200, { 'content-type': metrics.registry.contentType, 'content-length': Buffer.byteLength(text) })
      res.end(text)
      return { streamed: true }
    },
  }
  const server = createApiServer({
    host: opts.host,
    port: opts.port,
    log: opts.log,
    ...(opts.bearerToken === undefined ? {} : { bearerToken: opts.bearerToken }),
    ...(opts.maxBodyBytes === undefined ? {} : { maxBodyBytes: opts.maxBodyBytes }),
    // Specific paths first: /v1/status, /v1/watch and /v1/apply would otherwise match /v1/:kind.
    routes: [...clusterRoutes(agent), ...watches.routes, ...applyRoutes(objectDeps), ...logRoutes(() => agentLogDeps(agent(), objectDeps)), metricsRoute, ...endpointsRoutes(objectDeps, () => agent().services), ...objectRoutes(objectDeps)],
    onRequest: (route, method, status, seconds) => metrics.request(route, method, status, seconds),
  })
  return {
    ...server,
    start: async () => {
      agent().driver.on((e) => {
        if (e.type === 'leaderChanged') metrics.leaderChanged()
      })
      return server.start()
    },
  }
}

function agentDeps(a: Agent, secrets: SecretBox, metrics: AgentMetrics): ObjectApiDeps {
  const reads = new ReadBarrier(a.driver)
  return {
    state: a.state,
    secrets,
    propose: async (cmd, opts) => {
      const started = performance.now()
      try {
        const r = await a.proposer.propose(cmd, opts)
        metrics.proposal((performance.now() - started) / 1000, 'ok')
        return r
      } catch (err) {
        metrics.proposal((performance.now() - started) / 1000, 'error')
        throw err
      }
    },
    readBarrier: () =>
      reads.wait().catch((err: Error) => {
        throw new ApiFailure('NoLeader', `cannot confirm a linearizable read right now (${err.message}); retry once the fleet has a leader, or read this node's copy, which may be behind (?stale=true; agent get --stale)`)
      }),
    now: () => new Date(),
    newUid: randomUUID,
  }
}
