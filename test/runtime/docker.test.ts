// The Docker runtime against a real engine. Every test uses its own node id and pod uids and removes
// everything labelled with that node id afterwards, even on failure.
import { request } from 'node:http'
import t, { type Test } from 'tap'
import type Docker from 'dockerode'
import { freePort } from '../../src/fleet/local-fleet.js'
import { createDockerRuntime } from '../../src/runtime/docker/index.js'
import type { SupervisedRuntime } from '../../src/runtime/supervised-runtime.js'
import type { ContainerStatus } from '../../src/runtime/types.js'
import { cleanNode, dockerEnv } from './docker-env.js'
import { container, eventually, pod, probe, statusOf, uniqueId } from './fixtures.js'

const env = await dockerEnv()
if (env.failure !== undefined) t.fail(`CI=true and Docker is not usable: ${env.failure}`)
if (env.docker === undefined) {
  if (env.skip !== undefined) t.test('the Docker runtime on a real engine', { skip: env.skip }, async () => {})
} else {
  const docker = env.docker
  const runtimeFor = (tt: Test, nodeId = uniqueId('node')): { rt: SupervisedRuntime, nodeId: string } => {
    const rt = createDockerRuntime({ nodeId, docker, defaultHostIP: '127.0.0.1', resyncMs: 2000 })
    tt.teardown(async () => { await rt.close(); await cleanNode(docker, nodeId) })
    return { rt, nodeId }
  }
  const cstatus = (rt: SupervisedRuntime, uid: string, name: string): ContainerStatus | undefined =>
    statusOf(rt, uid)?.containerStatuses.find(c => c.name === name)
  const runningId = (rt: SupervisedRuntime, uid: string, name: string): string | undefined => {
    const c = cstatus(rt, uid, name)
    return c !== undefined && 'running' in c.state ? c.containerID : undefined
  }
  const dockerId = (containerID: string): string => containerID.replace('docker://', '')

  t.test('two containers share localhost; a host port on 127.0.0.1 reaches the pod; Ready follows readiness', async t => {
    const { rt } = runtimeFor(t)
    const hostPort = await freePort()
    const p = pod([
      container('web', { command: ['httpd', '-f', '-p', '8080', '-h', '/www'], ports: [{ containerPort: 8080, hostPort, protocol: 'TCP' }] }),
      container('client', {
        command: ['sleep', '100000'],
        readinessProbe: probe({ exec: { command: ['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/'] } }, { periodSeconds: 1 }),
      }),
    ])
    await rt.reconcile([p])
    const status = await eventually('the pod Ready', () => {
      const s = statusOf(rt, p.uid)
      return s?.conditions.find(c => c.type === 'Ready')?.status === 'True' ? s : undefined
    }, { seen: () => statusOf(rt, p.uid) })
    t.equal(status.phase, 'Running')
    t.match(status.podIP, /^\d+\.\d+\.\d+\.\d+$/)
    const clientId = dockerId(runningId(rt, p.uid, 'client')!)
    const exec = await docker.getContainer(clientId).exec({ Cmd: ['wget', '-q', '-O', '-', 'http://localhost:8080/'], AttachStdout: true, AttachStderr: true })
    const out = await execOutput(exec)
    t.match(out, /podmesh test image/, 'the client container reaches the web container on localhost')
    t.match(await httpGet(`http://127.0.0.1:${hostPort}/`), /podmesh test image/, 'the published host port reaches the pod')
    const info = await docker.getContainer(clientId).inspect()
    t.equal(info.Config.Labels['io.podmesh.pod-uid'], p.uid)
    t.equal(info.Config.Labels['io.podmesh.container'], 'client')
    t.match(info.HostConfig.NetworkMode, /^container:/)
  })

  t.test('docker kill: the container is restarted', async t => {
    const { rt } = runtimeFor(t)
    const p = pod([container('main', { command: ['sleep', '100000'] })])
    await rt.reconcile([p])
    const first = await eventually('running', () => runningId(rt, p.uid, 'main'), { seen: () => statusOf(rt, p.uid) })
    await docker.getContainer(dockerId(first)).kill()
    const second = await eventually('running again under a new id', () => {
      const id = runningId(rt, p.uid, 'main')
      return id !== undefined && id !== first ? id : undefined
    }, { seen: () => statusOf(rt, p.uid) })
    const c = cstatus(rt, p.uid, 'main')!
    t.equal(c.restartCount, 1)
    t.ok(c.lastState !== undefined && 'terminated' in c.lastState, 'the killed run is the last state')
    t.not(second, first)
  })

  t.test('a failing liveness probe restarts the container: the restart count grows', async t => {
    const { rt } = runtimeFor(t)
    const p = pod([container('main', {
      command: ['sleep', '100000'],
      livenessProbe: probe({ exec: { command: ['test', '-e', '/tmp/healthy'] } }, { periodSeconds: 1, failureThreshold: 1 }),
    })])
    await rt.reconcile([p])
    const c = await eventually('restartCount ≥ 2', () => {
      const s = cstatus(rt, p.uid, 'main')
      return s !== undefined && s.restartCount >= 2 ? s : undefined
    }, { timeoutMs: 30_000, seen: () => statusOf(rt, p.uid) })
    t.ok(c.restartCount >= 2)
    t.match(JSON.stringify(c.lastState), /liveness probe/)
  })

  t.test('an agent restart adopts the running containers without restarting them', async t => {
    const nodeId = uniqueId('node')
    const first = createDockerRuntime({ nodeId, docker })
    t.teardown(async () => { await first.close(); await cleanNode(docker, nodeId) })
    const p = pod([container('a', { command: ['sleep', '100000'] }), container('b', { command: ['sleep', '100000'] })])
    await first.reconcile([p])
    const ids = await eventually('both running', () => {
      const a = runningId(first, p.uid, 'a')
      const b = runningId(first, p.uid, 'b')
      return a !== undefined && b !== undefined ? [a, b] : undefined
    })
    const startedBefore = (await docker.getContainer(dockerId(ids[0]!)).inspect()).State.StartedAt
    await first.close()
    const { rt: second } = runtimeFor(t, nodeId)
    await second.reconcile([p])
    t.equal(runningId(second, p.uid, 'a'), ids[0])
    t.equal(runningId(second, p.uid, 'b'), ids[1])
    t.equal(cstatus(second, p.uid, 'a')!.restartCount, 0)
    const after = await docker.getContainer(dockerId(ids[0]!)).inspect()
    t.equal(after.State.StartedAt, startedBefore, 'not restarted')
    t.equal(after.State.Running, true)
    // And still supervised: a kill is now seen by the new runtime.
    await docker.getContainer(dockerId(ids[0]!)).kill()
    await eventually('restarted by the adopting runtime', () => cstatus(second, p.uid, 'a')?.restartCount === 1)
  })

  t.test('a crash-looping container: logs in back-off show its last run, --previous too; an agent restart keeps the count and the back-off', async t => {
    const nodeId = uniqueId('node')
    // Long enough that the back-off outlasts the restart of the runtime below.
    const restartBackoff = { initialMs: 5000 }
    const first = createDockerRuntime({ nodeId, docker, restartBackoff })
    t.teardown(async () => { await first.close(); await cleanNode(docker, nodeId) })
    // Each run prints its own start time, so two runs' output differ.
    const p = pod([container('main', { command: ['sh', '-c', 'echo run $(date +%s); exit 3'] })])
    await first.reconcile([p])
    const waiting = await eventually('CrashLoopBackOff after the immediate first restart', () => {
      const c = cstatus(first, p.uid, 'main')
      return c !== undefined && c.restartCount >= 1 && 'waiting' in c.state && c.state.waiting.reason === 'CrashLoopBackOff' ? c : undefined
    }, { seen: () => statusOf(first, p.uid) })
    const text = async (rt: SupervisedRuntime, previous: boolean): Promise<string> => {
      let s = ''
      for await (const b of rt.logs(p.uid, { previous })) s += Buffer.from(b).toString()
      return s
    }
    const last = await text(first, false)
    t.match(last, /^run \d+\n$/, 'logs in back-off: the last run\'s output, not a Docker 404')
    t.equal(await text(first, true), last, '--previous in back-off: the same run, as in Kubernetes')
    await first.close()
    const second = createDockerRuntime({ nodeId, docker, restartBackoff })
    t.teardown(() => second.close())
    await second.reconcile([p])
    const adopted = cstatus(second, p.uid, 'main')!
    t.equal(adopted.restartCount, waiting.restartCount, 'the restart count survives the restart')
    t.match(adopted.state, { waiting: { reason: 'CrashLoopBackOff' } }, 'still backing off, not started again at once')
    t.equal(await text(second, false), last, 'the adopting runtime reads the same run')
    const next = await eventually('the next run, counted on', () => {
      const c = cstatus(second, p.uid, 'main')
      return c !== undefined && c.restartCount === waiting.restartCount + 1 ? c : undefined
    }, { timeoutMs: 30_000, seen: () => statusOf(second, p.uid) })
    t.ok(next.restartCount > waiting.restartCount)
    await eventually('the new run in back-off, --previous showing it', async () => {
      const c = cstatus(second, p.uid, 'main')
      return c !== undefined && 'waiting' in c.state && (await text(second, true)) !== last
    }, { timeoutMs: 30_000, seen: () => statusOf(second, p.uid) })
    // The run two back is removed in the background.
    const mains = async (): Promise<number> => (await docker.listContainers({ all: true, filters: { label: [`io.podmesh.pod-uid=${p.uid}`, 'io.podmesh.container=main'] } })).length
    t.ok(await eventually('one exited run kept, the older ones removed', async () => (await mains()) === 1, { seen: () => null }))
  })

  t.test('a dead infra container: a new sandbox is made and the containers restarted in it, reachable again', async t => {
    const { rt } = runtimeFor(t)
    const hostPort = await freePort()
    const p = pod([container('web', {
      command: ['httpd', '-f', '-p', '8080', '-h', '/www'],
      ports: [{ containerPort: 8080, hostPort, protocol: 'TCP' }],
      readinessProbe: probe({ httpGet: { path: '/', port: 8080, scheme: 'HTTP' } }, { periodSeconds: 1 }),
    })])
    const ready = (): boolean => statusOf(rt, p.uid)?.conditions.find(c => c.type === 'Ready')?.status === 'True'
    await rt.reconcile([p])
    await eventually('Ready', ready, { seen: () => statusOf(rt, p.uid) })
    const infraOf = async (): Promise<Docker.ContainerInfo | undefined> =>
      (await docker.listContainers({ filters: { label: [`io.podmesh.pod-uid=${p.uid}`, 'io.podmesh.container=POD'] } }))[0]
    const oldInfra = (await infraOf())!
    const oldWeb = runningId(rt, p.uid, 'web')!
    await docker.getContainer(oldInfra.Id).kill()
    const web = await eventually('web running again in a new sandbox, Ready', () => {
      const c = cstatus(rt, p.uid, 'web')
      return c !== undefined && c.restartCount === 1 && 'running' in c.state && ready() ? c : undefined
    }, { timeoutMs: 30_000, seen: () => statusOf(rt, p.uid) })
    const newInfra = (await infraOf())!
    t.not(newInfra.Id, oldInfra.Id, 'a new infra container runs')
    t.not(web.containerID, oldWeb, 'the container is a new run')
    t.match(JSON.stringify(web.lastState), /Pod sandbox changed/)
    const info = await docker.getContainer(dockerId(web.containerID!)).inspect()
    t.equal(info.HostConfig.NetworkMode, `container:${newInfra.Id}`, 'it joined the new sandbox')
    const podIP = statusOf(rt, p.uid)!.podIP!
    t.match(await httpGet(`http://${podIP}:8080/`), /podmesh test image/, 'the pod IP serves again')
    t.match(await httpGet(`http://127.0.0.1:${hostPort}/`), /podmesh test image/, 'so does the host port')
    const all = await docker.listContainers({ all: true, filters: { label: [`io.podmesh.pod-uid=${p.uid}`] } })
    t.equal(all.length, 3, 'the dead infra container is gone: one infra, the web run, and the stopped run kept for --previous')
  })

  t.test('a missing image: ErrImagePull with the engine message; the runtime stays healthy', async t => {
    const { rt } = runtimeFor(t)
    const bad = pod([container('main', { image: `podmesh-test/absent-${uniqueId('x')}:1`, command: ['sleep', '1'] })])
    const good = pod([container('main', { command: ['sleep', '100000'] })])
    await rt.reconcile([bad])
    const waiting = await eventually('ErrImagePull', () => {
      const s = cstatus(rt, bad.uid, 'main')?.state
      return s !== undefined && 'waiting' in s && /ErrImagePull|ImagePullBackOff/.test(s.waiting.reason) ? s.waiting : undefined
    }, { timeoutMs: 60_000, seen: () => statusOf(rt, bad.uid) })
    t.ok((waiting.message ?? '').length > 0, `the engine's message: ${waiting.message}`)
    t.equal(statusOf(rt, bad.uid)?.phase, 'Pending')
    await rt.reconcile([bad, good])
    await eventually('the other pod runs', () => runningId(rt, good.uid, 'main'))
  })

  t.test('runtimes of two nodes on one engine ignore each other; unlabelled containers are never touched', async t => {
    const { rt: a } = runtimeFor(t)
    const { rt: b } = runtimeFor(t)
    const stranger = await docker.createContainer({ Image: 'podmesh-test/busybox:1', Cmd: ['sleep', '100000'], Labels: { 'io.podmesh.managed': 'true' } })
    t.teardown(() => stranger.remove({ force: true }).catch(() => {}))
    await stranger.start()
    const p = pod([container('main', { command: ['sleep', '100000'] }), container('side', { command: ['sleep', '100000'] })], {
      volumes: [{ name: 'scratch', emptyDir: {} }],
    })
    await a.reconcile([p])
    const id = await eventually('running on node a', () => runningId(a, p.uid, 'main'))
    await b.reconcile([])
    await b.reconcile([pod([container('main', { command: ['sleep', '100000'] })])])
    t.equal((await docker.getContainer(dockerId(id)).inspect()).State.Running, true, "node b left node a's container alone")
    await a.reconcile([])
    await a.settled()
    t.equal((await docker.getContainer(stranger.id).inspect()).State.Running, true, 'the unlabelled container runs on')
    const left = await docker.listContainers({ all: true, filters: { label: [`io.podmesh.pod-uid=${p.uid}`] } })
    t.equal(left.length, 0, 'the removed pod left no container')
    const vols = await docker.listVolumes({ filters: JSON.stringify({ label: [`io.podmesh.pod-uid=${p.uid}`] }) } as Docker.VolumeListOptions)
    t.equal(vols.Volumes?.length ?? 0, 0, 'nor a volume')
  })

  async function execOutput (exec: Docker.Exec): Promise<string> {
    const stream = await exec.start({ hijack: true, stdin: false })
    const chunks: Buffer[] = []
    stream.on('data', (b: Buffer) => chunks.push(b))
    await new Promise(resolve => { stream.on('end', resolve); stream.on('close', resolve) })
    return Buffer.concat(chunks).toString('latin1')
  }

  function httpGet (url: string): Promise<string> {
    return new Promise((resolve, reject) => {
      request(url, res => {
        const chunks: Buffer[] = []
        res.on('data', (b: Buffer) => chunks.push(b))
        res.on('end', () => resolve(Buffer.concat(chunks).toString()))
      }).on('error', reject).end()
    })
  }
}
