// A fleet of agents on real Docker behind the routing mesh, for the rollout tests and bench-rollout:
// agent i listens (API, mesh, published node ports) on its own loopback address 127.0.0.i, so each
// agent's published port is a distinct entry point. Plus the web Deployment (busybox httpd with an
// httpGet readiness probe) and its NodePort Service.
import { eventually, Fleet, runAgentCli, type AgentProcess } from '../../src/fleet/local-fleet.js'

export type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

export const WEB_IMAGE = process.env.PODMESH_TEST_IMAGE ?? 'podmesh-test/busybox:1'

/** Agents m1..mN with the Docker runtime, agent i on 127.0.0.i; all voters and Ready on return. */
export async function webFleet(size: number, prefix = 'podmesh-roll-'): Promise<{ fleet: Fleet; agents: AgentProcess[] }> {
  const fleet = await Fleet.create(prefix)
  try {
    const add = (i: number, join?: { peer: string; token: string }) =>
      fleet.add({ name: `m${i}`, host: `127.0.0.${i}`, runtime: 'docker', extraArgs: ['--publish-address', `127.0.0.${i}`], ...(join ? { join } : {}) })
    const first = await add(1)
    first.start()
    await eventually('m1 leads', async () => (await first.status())?.node.raftRole === 'leader')
    const token = (await runAgentCli(['token', '--data-dir', first.dataDir])).stdout.trim()
    const agents = [first]
    for (let i = 2; i <= size; i++) {
      const a = await add(i, { peer: first.meshAddress, token })
      a.start()
      agents.push(a)
    }
    await eventually(`${size} Ready nodes`, async () => (await readyNodes(first)) === size, 60_000)
    await eventually(`${Math.min(size, 3)} voters`, async () => (await first.status())?.members.filter((m) => m.role === 'voter').length === Math.min(size, 3), 60_000)
    return { fleet, agents }
  } catch (err) {
    console.error(fleet.logs())
    await fleet.destroy()
    throw err
  }
}

export async function getJson(a: AgentProcess, path: string): Promise<Json | undefined> {
  try {
    const res = await fetch(a.server + path, { signal: AbortSignal.timeout(5_000) })
    return res.ok ? ((await res.json()) as Json) : undefined
  } catch {
    return undefined
  }
}

async function readyNodes(a: AgentProcess): Promise<number> {
  const list = await getJson(a, '/v1/nodes?stale=true')
  return ((list?.items ?? []) as Json[]).filter((n) => isTrue(n, 'Ready')).length
}

export function isTrue(o: Json, type: string): boolean {
  return ((o.status?.conditions ?? []) as Json[]).some((c) => c.type === type && c.status === 'True')
}

export async function applyJson(a: AgentProcess, objects: readonly object[]): Promise<void> {
  const res = await fetch(`${a.server}/v1/apply`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(objects), signal: AbortSignal.timeout(15_000) })
  if (!res.ok) throw new Error(`apply failed: ${res.status} ${await res.text()}`)
}

export interface WebOptions {
  readonly replicas: number
  /** Served at / (and changes the template). */
  readonly version: string
  readonly image?: string
  readonly maxSurge?: number
  readonly maxUnavailable?: number
  readonly progressDeadlineSeconds?: number
}

/** The web Deployment: httpd on 8080 serving the version, Ready when / answers (probe period 1 s). */
export function webDeployment(o: WebOptions): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', annotations: { 'kubernetes.io/change-cause': `version ${o.version}` } },
    spec: {
      replicas: o.replicas,
      progressDeadlineSeconds: o.progressDeadlineSeconds ?? 60,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: o.maxSurge ?? 2, maxUnavailable: o.maxUnavailable ?? 0 } },
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'web',
              image: o.image ?? WEB_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              env: [{ name: 'VERSION', value: o.version }],
              command: ['sh', '-c', 'echo "$VERSION" > /www/index.html && exec httpd -f -p 8080 -h /www'],
              ports: [{ containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
              resources: { requests: { cpu: '10m', memory: '8Mi' } },
            },
          ],
        },
      },
    },
  }
}

export function webService(): Json {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } }
}

/** The node port the cluster gave the web Service. */
export async function nodePortOf(a: AgentProcess): Promise<number> {
  return eventually('the web Service has a node port', async () => (await getJson(a, '/v1/services/web'))?.spec?.ports?.[0]?.nodePort as number | undefined)
}

/** Pods of app=web that are live (not terminating), Running and Ready, with the given version. */
export async function readyWeb(a: AgentProcess, version?: string): Promise<Json[]> {
  const items = ((await getJson(a, '/v1/pods?labelSelector=app%3Dweb'))?.items ?? []) as Json[]
  return items.filter(
    (p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && isTrue(p, 'Ready') && (version === undefined || p.spec.containers[0].env?.[0]?.value === version),
  )
}
