// An in-process API over a fake single-node log: every proposal is applied at the next index at once.
// Routing, validation, compare-and-set, apply, secrets and watch logic run as in the agent, without Raft.
import { randomBytes } from 'node:crypto'
import { pino } from 'pino'
import { encode } from '../../src/raft/codec.js'
import type { ObjectApiDeps } from '../../src/agent/api/context.js'
import { applyRoutes } from '../../src/agent/api/routes-apply.js'
import { objectRoutes } from '../../src/agent/api/routes-objects.js'
import { watchRoutes, type WatchOptions } from '../../src/agent/api/routes-watch.js'
import { createApiServer, type ApiServer, type InjectResponse } from '../../src/agent/api/server.js'
import { ClusterState } from '../../src/state/cluster-state.js'
import { SecretBox } from '../../src/state/secret-box.js'

export interface HarnessOptions {
  readonly historySize?: number
  readonly bearerToken?: string
  readonly maxBodyBytes?: number
  readonly bookmarkMs?: number
  readonly watch?: WatchOptions
}

export interface Harness {
  readonly server: ApiServer
  readonly state: ClusterState
  readonly deps: ObjectApiDeps
  /** Every entry "committed", encoded as the Raft log holds it. */
  readonly log: Uint8Array[]
  readonly counts: { proposals: number; barriers: number }
  /** Watch streams open now. */
  watchesOpen(): number
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<InjectResponse>
}

export function harness(opts: HarnessOptions = {}): Harness {
  const state = new ClusterState(opts.historySize === undefined ? {} : { historySize: opts.historySize })
  const log: Uint8Array[] = []
  const counts = { proposals: 0, barriers: 0 }
  let uids = 0
  const deps: ObjectApiDeps = {
    state,
    secrets: SecretBox.fromJoinSecret(randomBytes(32)),
    propose: async (cmd) => {
      counts.proposals++
      const data = encode(cmd)
      log.push(data)
      const index = log.length
      state.apply([{ index, term: 1, type: 'normal', data }])
      return { index, outcome: state.takeOutcome(index) }
    },
    readBarrier: async () => {
      counts.barriers++
    },
    now: () => new Date('2026-01-01T00:00:00.000Z'),
    newUid: () => `uid-${++uids}`,
  }
  const watches = watchRoutes(() => deps, { ...opts.watch, ...(opts.bookmarkMs === undefined ? {} : { bookmarkMs: opts.bookmarkMs }) })
  const server = createApiServer({
    host: '127.0.0.1',
    port: 0,
    log: pino({ level: 'silent' }),
    routes: [...watches.routes, ...applyRoutes(() => deps), ...objectRoutes(() => deps)],
    ...(opts.bearerToken === undefined ? {} : { bearerToken: opts.bearerToken }),
    ...(opts.maxBodyBytes === undefined ? {} : { maxBodyBytes: opts.maxBodyBytes }),
  })
  return {
    server,
    state,
    deps,
    log,
    counts,
    watchesOpen: () => watches.open(),
    request: (method, url, body, headers = {}) =>
      server.inject({ method, url, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) }),
  }
}

export const configMap = (name: string, data: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...extra },
  data,
})

export const deploymentYaml = (name: string, port: number, labels = 'app: web') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    ${labels}
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: ${port}
`
