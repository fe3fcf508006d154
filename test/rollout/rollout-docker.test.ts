// Rolling updates on real Docker through the routing mesh: 3 agents, 10 busybox httpd replicas behind a
// NodePort Service, a load client sending requests on new connections through every agent's published
// port. A rolling update (maxSurge 2, maxUnavailable 0) loses no request; a revision whose image does
// not exist fails its progress deadline and is rolled back automatically while the Service keeps answering.
import t from 'tap'
import type { AgentProcess } from '../../src/fleet/local-fleet.js'
import { connectLoad, requestOnce, type ConnectLoadResult } from '../../scripts/lib/connect-load.js'
import { applyJson, nodePortOf, readyWeb, webDeployment, webFleet, webService } from '../../scripts/lib/web-fleet.js'
import { cleanNode, dockerEnv } from '../runtime/docker-env.js'
import { eventually } from '../runtime/fleet-harness.js'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const REPLICAS = 10

/** Load through every agent's published port, one client each, until stopped. */
function loadThrough(agents: readonly AgentProcess[], port: number): { stop: () => Promise<ConnectLoadResult[]> } {
  const ac = new AbortController()
  const runs = agents.map((a) => connectLoad({ host: a.host, port }, { clients: 1, signal: ac.signal, pauseMs: 5 }))
  return {
    stop: async () => {
      ac.abort()
      return Promise.all(runs)
    },
  }
}

function summary(results: readonly ConnectLoadResult[]): { ok: number; failed: number; failures: string[] } {
  return {
    ok: results.reduce((n, r) => n + r.ok, 0),
    failed: results.reduce((n, r) => n + r.failed, 0),
    failures: results.flatMap((r, i) => r.failures.slice(0, 5).map((f) => `m${i + 1} +${f.at} ms: ${f.error}`)),
  }
}

const env = await dockerEnv()
if (env.failure !== undefined) t.fail(`CI=true and Docker is not usable: ${env.failure}`)
if (env.docker === undefined) {
  if (env.skip !== undefined) t.test('rolling updates through the routing mesh on Docker', { skip: env.skip }, async () => {})
} else {
  const docker = env.docker
  t.test('rolling updates through the routing mesh on Docker', async (t) => {
    const { fleet, agents } = await webFleet(3)
    const nodeIds: string[] = []
    for (const a of agents) nodeIds.push((await a.status())!.node.id)
    const dir = await mkdtemp(join(tmpdir(), 'podmesh-roll-manifests-'))
    t.teardown(async () => {
      await fleet.destroy()
      for (const id of nodeIds) await cleanNode(docker, id)
      await rm(dir, { recursive: true, force: true })
    })
    t.teardown(() => void (t.passing() || console.error(fleet.logs())))
    const [m1, m2] = agents as [AgentProcess, AgentProcess]
    const applyWait = async (version: string, over: Partial<Parameters<typeof webDeployment>[0]> = {}) => {
      const file = join(dir, `web-${version}.json`)
      await writeFile(file, JSON.stringify(webDeployment({ replicas: REPLICAS, version, progressDeadlineSeconds: 15, ...over })))
      return m2.cli(['apply', '-f', file, '--wait', '--timeout', '180'])
    }

    await applyJson(m1, [webService(), webDeployment({ replicas: REPLICAS, version: 'v1', progressDeadlineSeconds: 15 })])
    await eventually('10 replicas of v1 Ready', async () => (await readyWeb(m1, 'v1')).length === REPLICAS, 180_000, 250)
    const port = await nodePortOf(m1)
    for (const a of agents) await eventually(`the Service answers on ${a.host}:${port}`, async () => (await requestOnce({ host: a.host, port }).catch(() => 0)) === 200, 30_000, 100)

    t.test('a rolling update of 10 replicas under load loses no request', async (t) => {
      const load = loadThrough(agents, port)
      const r = await applyWait('v2')
      t.equal(r.code, 0, `apply --wait: ${r.stdout}${r.stderr}`)
      t.match(r.stdout, /deployment "web" successfully rolled out/)
      // The last old pods are still terminating: keep the load on until they are deleted and stopped.
      await eventually('only v2 pods left', async () => {
        const items = ((await (await fetch(`${m1.server}/v1/pods?labelSelector=app%3Dweb`)).json()) as { items: { spec: { containers: { env: { value: string }[] }[] } }[] }).items
        return items.length === REPLICAS && items.every((p) => p.spec.containers[0]!.env[0]!.value === 'v2')
      }, 60_000, 250)
      await new Promise((r) => setTimeout(r, 2_000))
      const s = summary(await load.stop())
      t.comment(`${s.ok} requests answered during the rollout`)
      t.ok(s.ok > 100, `the load ran (${s.ok} answered)`)
      t.equal(s.failed, 0, `no failed request: ${s.failures.join('; ')}`)
      t.equal((await readyWeb(m1, 'v2')).length, REPLICAS)
    })

    t.test('a revision whose image does not exist is rolled back; the Service keeps answering', async (t) => {
      const load = loadThrough(agents, port)
      const r = await applyWait('v3', { image: 'podmesh-test/does-not-exist:1' })
      t.equal(r.code, 1, 'apply --wait fails')
      t.match(r.stderr, /deployment "web" rollout failed: revision 3 failed \(ProgressDeadlineExceeded.*rolled back to revision 2/)
      const d = (await (await fetch(`${m1.server}/v1/deployments/web`)).json()) as { spec: { template: { spec: { containers: { image: string }[] } } }; status: { rollback: unknown } }
      t.equal(d.spec.template.spec.containers[0]!.image, webDeployment({ replicas: REPLICAS, version: 'v2' }).spec.template.spec.containers[0].image)
      t.match(d.status.rollback, { from: 3, to: 2, reason: 'ProgressDeadlineExceeded' })
      const status = await m1.cli(['rollout', 'status', 'deployment', 'web', '--no-watch'])
      t.equal(status.code, 1)
      t.match(status.stderr, /rolled back to revision 2/)
      await eventually('only the 10 v2 pods again', async () => {
        const ready = await readyWeb(m1, 'v2')
        const all = ((await (await fetch(`${m1.server}/v1/pods?labelSelector=app%3Dweb`)).json()) as { items: unknown[] }).items
        return ready.length === REPLICAS && all.length === REPLICAS
      }, 60_000, 250)
      const s = summary(await load.stop())
      t.comment(`${s.ok} requests answered during the failed rollout and its rollback`)
      t.ok(s.ok > 100, `the load ran (${s.ok} answered)`)
      t.equal(s.failed, 0, `no failed request: ${s.failures.join('; ')}`)
    })
  })
}
