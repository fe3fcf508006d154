// `agent leave` on a real Docker engine: a node that joins again gets a new member id and never adopts
// what it left, so the leaving agent must remove every container it made. Three agents, a Deployment
// of 3 busybox httpd replicas (one per node) and a bare pod pinned to m3; m3 leaves: none of its
// containers remains (running or exited), its replica runs elsewhere, the bare pod is deleted.
import t from 'tap'
import type { AgentProcess } from '../../src/fleet/local-fleet.js'
import { cleanNode, dockerEnv } from './docker-env.js'
import { TEST_IMAGE } from './fixtures.js'
import { LABEL } from '../../src/runtime/docker/labels.js'
import { applyJson, eventually, isTrue, podsOf, runtimeFleet, type Json } from './fleet-harness.js'

const REPLICAS = 3

const container = { name: 'web', image: TEST_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['httpd', '-f', '-p', '8080', '-h', '/'], resources: { requests: { cpu: '50m', memory: '16Mi' } } }

const objects = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 1, containers: [container] } },
    },
  },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'solo', labels: { app: 'solo' } }, spec: { nodeName: 'm3', terminationGracePeriodSeconds: 1, containers: [container] } },
]

const runningReady = (p: Json) => p.status?.phase === 'Running' && isTrue(p, 'Ready') && p.metadata?.deletionTimestamp === undefined

const env = await dockerEnv()
if (env.failure !== undefined) t.fail(`CI=true and Docker is not usable: ${env.failure}`)
if (env.docker === undefined) {
  if (env.skip !== undefined) t.test('agent leave on Docker', { skip: env.skip }, async () => {})
} else {
  const docker = env.docker
  t.test('agent leave on Docker: no container of the node remains, its replica runs elsewhere', async t => {
    const { fleet, agents } = await runtimeFleet(3, 'docker')
    const nodeIds: string[] = []
    for (const a of agents) nodeIds.push((await a.status())!.node.id)
    t.teardown(async () => {
      await fleet.destroy()
      for (const id of nodeIds) await cleanNode(docker, id)
    })
    t.teardown(() => void (t.passing() || console.error(fleet.logs())))
    const [m1, , m3] = agents as [AgentProcess, AgentProcess, AgentProcess]
    const containersOf = async (nodeId: string) => docker.listContainers({ all: true, filters: { label: [`${LABEL.managed}=true`, `${LABEL.node}=${nodeId}`] } })

    await applyJson(m1, objects)
    await eventually('3 replicas and the bare pod run, one replica on m3', async () => {
      const pods = await podsOf(m1, 'app in (web, solo)')
      return pods?.length === REPLICAS + 1 && pods.every(runningReady) && pods.filter(p => p.spec.nodeName === 'm3').length >= 2
    }, 120_000, 250)
    t.ok((await containersOf(nodeIds[2]!)).length >= 4, 'm3 runs containers (two pods: infra and app each)')

    const left = await m3.cli(['leave', '--timeout', '60'])
    t.equal(left.code, 0, left.stderr)
    t.match(left.stdout, /evicting pod\/default\/web-/)
    t.match(left.stdout, /pod\/default\/solo deleted\n/)
    t.equal(await m3.waitForExit(), 0, 'the agent stopped')
    t.same((await containersOf(nodeIds[2]!)).map(c => c.Names), [], 'no container of m3 is left, running or exited')

    const pods = await eventually('3 replicas run on m1 and m2', async () => {
      const items = await podsOf(m1, 'app in (web, solo)')
      return items?.length === REPLICAS && items.every(runningReady) ? items : undefined
    }, 60_000, 250)
    t.ok(pods.every(p => p.spec.nodeName !== 'm3' && p.metadata.labels.app === 'web'), 'the replicas run elsewhere; the bare pod is gone')
  })
}
