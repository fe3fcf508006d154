// Three real agents running pods on a real Docker engine: a Deployment of 6 busybox httpd replicas with
// an httpGet readiness probe becomes Ready, spread over the nodes; a replica whose probe starts failing
// turns not Ready in the cluster state (as another agent's API shows); deleting the Deployment removes
// every container. The agents share the engine, each labelling its containers with its node id.
import t from 'tap'
import type Docker from 'dockerode'
import type { AgentProcess } from '../../src/fleet/local-fleet.js'
import { cleanNode, dockerEnv } from './docker-env.js'
import { TEST_IMAGE } from './fixtures.js'
import { applyJson, eventually, isTrue, podsOf, runtimeFleet, type Json } from './fleet-harness.js'

const REPLICAS = 6

function webDeployment (name: string, replicas: number): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{
            name: 'web',
            image: TEST_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            // /www/ready is what the probe asks for: removing it makes the replica fail its probe.
            command: ['sh', '-c', 'echo ok > /www/ready && exec httpd -f -p 8080 -h /www'],
            ports: [{ containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
            resources: { requests: { cpu: '50m', memory: '16Mi' } },
          }],
        },
      },
    },
  }
}

const env = await dockerEnv()
if (env.failure !== undefined) t.fail(`CI=true and Docker is not usable: ${env.failure}`)
if (env.docker === undefined) {
  if (env.skip !== undefined) t.test('a Deployment on a 3-agent Docker fleet', { skip: env.skip }, async () => {})
} else {
  const docker = env.docker
  t.test('a Deployment on a 3-agent Docker fleet: Ready, spread, readiness loss seen elsewhere, removal', async t => {
    const { fleet, agents } = await runtimeFleet(3, 'docker')
    const nodeIds: string[] = []
    for (const a of agents) nodeIds.push((await a.status())!.node.id)
    t.teardown(async () => {
      await fleet.destroy()
      // A closing agent leaves its containers for the next one to adopt: remove them here.
      for (const id of nodeIds) await cleanNode(docker, id)
    })
    t.teardown(() => void (t.passing() || console.error(fleet.logs())))
    const [m1, m2] = agents as [AgentProcess, AgentProcess]

    await applyJson(m1, [webDeployment('web', REPLICAS)])
    const pods = await eventually('6 replicas Ready', async () => {
      const items = await podsOf(m1, 'app=web')
      return items !== undefined && items.length === REPLICAS && items.every(p => p.status?.phase === 'Running' && isTrue(p, 'Ready')) ? items : undefined
    }, 120_000, 250)
    const perNode = new Map<string, number>()
    for (const p of pods) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1)
    t.equal(perNode.size, 3, `spread over the 3 nodes: ${JSON.stringify(Object.fromEntries(perNode))}`)
    for (const p of pods) {
      t.equal(p.status.hostIP, '127.0.0.1', 'hostIP: the address its agent listens on')
      t.match(p.status.podIP, /^\d+\.\d+\.\d+\.\d+$/, 'podIP: the sandbox’s bridge address')
      t.not(p.status.podIP, p.status.hostIP)
    }
    const listed = await m2.cli(['get', 'pods'])
    t.equal(listed.code, 0, listed.stderr)
    const rows = listed.stdout.split('\n').filter(l => l.startsWith('web-'))
    t.equal(rows.length, REPLICAS, listed.stdout)
    t.ok(rows.every(r => /\b1\/1\b/.test(r) && /\bRunning\b/.test(r)), `agent get pods: all 1/1 Running\n${listed.stdout}`)

    // One replica fails its readiness probe from now on; another agent's API must show it not Ready.
    const victim = pods[0]!
    const web = await containerOf(docker, victim.metadata.uid as string)
    const witness = agents.find(a => a.name !== victim.spec.nodeName)!
    const failedAt = Date.now()
    await exec(docker, web.Id, ['rm', '/www/ready'])
    const notReady = await eventually('the replica not Ready in the cluster state', async () => {
      const p = (await podsOf(witness, 'app=web'))?.find(x => x.metadata.uid === victim.metadata.uid)
      return p !== undefined && !isTrue(p, 'Ready') ? p : undefined
    }, 30_000, 50)
    t.comment(`readiness failure → Ready False through ${witness.name}'s API: ${Date.now() - failedAt} ms (probe period 1 s)`)
    const ready = (notReady.status.conditions as Json[]).find(c => c.type === 'Ready')!
    t.equal(ready.status, 'False')
    t.equal(notReady.status.phase, 'Running', 'not Ready is not a restart: it runs on')
    t.equal(notReady.status.containerStatuses[0].restartCount, 0)

    const deleted = await m2.cli(['delete', 'deployment', 'web'])
    t.equal(deleted.code, 0, deleted.stderr)
    await eventually('no pods left', async () => (await podsOf(m1, 'app=web'))?.length === 0, 60_000, 250)
    const uids = new Set(pods.map(p => p.metadata.uid as string))
    const left = await eventually('no container of theirs left on the engine', async () => {
      const cs = await docker.listContainers({ all: true, filters: { label: ['io.podmesh.managed=true'] } })
      const theirs = cs.filter(c => uids.has(c.Labels['io.podmesh.pod-uid'] ?? ''))
      return theirs.length === 0 ? theirs : undefined
    }, 60_000, 250)
    t.same(left, [])
  })
}

async function containerOf (docker: Docker, uid: string): Promise<Docker.ContainerInfo> {
  const cs = await docker.listContainers({ filters: { label: [`io.podmesh.pod-uid=${uid}`, 'io.podmesh.container=web'] } })
  if (cs.length !== 1) throw new Error(`expected one running web container of pod ${uid}, found ${cs.length}`)
  return cs[0]!
}

async function exec (docker: Docker, id: string, cmd: string[]): Promise<void> {
  const e = await docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true })
  const stream = await e.start({ hijack: true, stdin: false })
  stream.resume()
  await new Promise(resolve => { stream.on('end', resolve); stream.on('close', resolve) })
  const { ExitCode } = await e.inspect()
  if (ExitCode !== 0) throw new Error(`${cmd.join(' ')} exited ${ExitCode}`)
}
