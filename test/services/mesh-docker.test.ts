// The routing mesh end to end: three real agents (distinct loopback addresses) running a Service over 4
// httpd replicas on the real Docker engine. Every agent's published port answers and spreads requests;
// under steady traffic, `docker kill` of a pod's container loses no request but the one whose answer it
// cuts, and `agent delete pod` none; a pod whose readiness fails leaves rotation; the DNS answers the
// service's name; containers have the env vars.
import { createSocket } from 'node:dgram'
import { networkInterfaces } from 'node:os'
import dnsPacket from 'dns-packet'
import t, { type Test } from 'tap'
import { eventually } from '../../src/fleet/local-fleet.js'
import { TEST_IMAGE } from '../runtime/fixtures.js'
import { dockerEnv } from '../runtime/docker-env.js'
import { ANSWER_CUT, applyYaml, dockerFleet, getJson, getOnce, LoadClient, type Json } from './harness.js'


const NAME = 'meshtest-web'
const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${NAME}}
spec:
  replicas: 4
  selector: {matchLabels: {app: ${NAME}}}
  template:
    metadata: {labels: {app: ${NAME}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: ${TEST_IMAGE}
        imagePullPolicy: Never
        command: [sh, -c, 'mkdir -p /www && hostname > /www/index.html && echo ok > /www/ready.html && exec httpd -f -p 8080 -h /www']
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /ready.html, port: http}, periodSeconds: 1, failureThreshold: 1}
---
apiVersion: v1
kind: Service
metadata: {name: ${NAME}}
spec:
  type: NodePort
  selector: {app: ${NAME}}
  ports: [{name: web, port: 80, targetPort: http}]
`

async function run(docker: import('dockerode')): Promise<void> {
  const f = await dockerFleet(docker)
  try {
    await scenarios(docker, f)
  } finally {
    await f.destroy()
  }
}

async function scenarios(docker: import('dockerode'), f: Awaited<ReturnType<typeof dockerFleet>>): Promise<void> {
  const [a, b, c] = f.agents as [typeof f.agents[0], typeof f.agents[0], typeof f.agents[0]]
  const endpoints = async () => (await getJson(a, `/v1/services/${NAME}/endpoints?stale=true`)) as Json | undefined
  const readyPods = async () => ((await endpoints())?.ports?.[0]?.ready ?? []).map((e: Json) => e.pod as string).sort()
  const mainContainer = async (pod: string) => (await docker.listContainers({ filters: { label: [`io.podmesh.pod-name=${pod}`, 'io.podmesh.container=main'] } }))[0]

  await applyYaml(a, manifest)
  await eventually('4 ready endpoints', async () => (await readyPods()).length === 4, 120_000, 250).catch((err) => {
    console.error(f.fleet.logs())
    throw err
  })
  const nodePort = (await endpoints())!.ports[0].nodePort as number
  t.ok(nodePort >= 30000 && nodePort <= 32767, `nodePort ${nodePort} assigned by the cluster`)

  await t.test('every agent answers on its published port, spreading requests over several pods', async (t) => {
    const pods = new Set(await readyPods())
    for (const agent of [a, b, c]) {
      await eventually(`${agent.name} listens`, async () => (await getOnce(agent.host, nodePort)).ok, 15_000, 200)
      const seen = new Set<string>()
      for (let i = 0; i < 8; i++) {
        const r = await getOnce(agent.host, nodePort)
        t.ok(r.ok, `request ${i} through ${agent.name}`)
        if (r.ok) seen.add(r.body)
      }
      t.ok(seen.size >= 3, `${agent.name} reached ${seen.size} pods`)
      t.ok([...seen].every((p) => pods.has(p)), 'only Ready pods of the service answered')
    }
  })

  /**
   * `act` breaks a pod while a client makes one request at a time, each on a new connection, through b's
   * published port; `recovered` says when it is over. No request may fail, except, when `cutsInFlight`,
   * the one request whose answer had begun when the victim was killed: no proxy can replay an answer that
   * has started (HAProxy and Envoy do not either). Every request that began after `act` must succeed.
   */
  const underLoad = async (tt: Test, what: string, cutsInFlight: boolean, act: (victim: string) => Promise<() => Promise<boolean>>) => {
    const load = new LoadClient(b.host, nodePort)
    await eventually('some traffic', async () => load.total >= 20, 20_000, 50)
    const [victim] = await readyPods()
    const recovered = await act(victim!)
    const actedAt = performance.now()
    await eventually(`${what}: 4 ready pods again`, async () => (await readyPods()).length === 4 && (await recovered()), 60_000, 250)
    const before = load.total
    await eventually('more traffic after recovery', async () => load.total >= before + 20, 20_000, 50)
    await load.stop()
    const cut = load.failures.filter((f) => cutsInFlight && f.error.startsWith(ANSWER_CUT) && f.startedAt < actedAt)
    tt.ok(cut.length <= 1, `${what}: at most the one request in flight is cut (${cut.length})`)
    tt.same(load.failures.filter((f) => !cut.includes(f)).map((f) => f.error), [], `${what}: no other request failed out of ${load.total}`)
    tt.ok(load.answeredBy.size >= 3, `answered by ${load.answeredBy.size} pods`)
  }

  await t.test('docker kill of a pod under steady traffic loses no request but the one it cuts', async (t) => {
    await underLoad(t, 'docker kill', true, async (victim) => {
      const ctr = await mainContainer(victim)
      t.ok(ctr, `${victim} has a container`)
      await docker.getContainer(ctr!.Id).kill()
      // The runtime restarts it in place: a new container of the same pod.
      return async () => {
        const now = await mainContainer(victim)
        return now !== undefined && now.Id !== ctr!.Id && (await readyPods()).includes(victim)
      }
    })
  })

  await t.test('agent delete pod under steady traffic loses no request', async (t) => {
    await underLoad(t, 'delete pod', false, async (victim) => {
      const r = await c.cli(['delete', 'pod', victim])
      t.equal(r.code, 0, r.stderr)
      return async () => !(await readyPods()).includes(victim)
    })
  })

  await t.test('a pod whose readiness fails leaves rotation', async (t) => {
    const [victim] = await readyPods()
    const ctr = await mainContainer(victim!)
    const exec = await docker.getContainer(ctr!.Id).exec({ Cmd: ['rm', '/www/ready.html'] })
    await exec.start({})
    await eventually(`${victim} leaves the endpoints`, async () => !(await readyPods()).includes(victim!), 15_000, 100)
    t.ok((await endpoints())!.notReady.includes(victim), 'listed as not ready')
    for (let i = 0; i < 12; i++) {
      const r = await getOnce(a.host, nodePort)
      t.ok(r.ok && r.body !== victim, `request ${i} not sent to ${victim}`)
    }
  })

  await t.test('the DNS responder answers NAME.NAMESPACE.svc with the service address', async (t) => {
    const serviceAddress = networkInterfaces().docker0?.find((x) => x.family === 'IPv4')?.address ?? '172.17.0.1'
    for (const name of [`${NAME}.default.svc`, `${NAME}.default.svc.cluster.local`]) {
      const reply = await query(a.host, f.dnsPorts[0]!, name)
      t.same(reply.answers?.map((x) => (x as { data: unknown }).data), [serviceAddress], name)
    }
    const nx = await query(b.host, f.dnsPorts[1]!, 'nothing-here.default.svc')
    t.equal(nx.rcode, 'NXDOMAIN')
  })

  await t.test("a container's env has the service variables, and reaches the service through them", async (t) => {
    const [pod] = await readyPods()
    const ctr = await mainContainer(pod!)
    const info = await docker.getContainer(ctr!.Id).inspect()
    const vars = Object.fromEntries(info.Config.Env.map((e) => e.split(/=(.*)/s).slice(0, 2) as [string, string]))
    t.equal(vars.MESHTEST_WEB_SERVICE_PORT, String(nodePort))
    t.equal(vars.MESHTEST_WEB_SERVICE_PORT_WEB, String(nodePort))
    t.ok(vars.MESHTEST_WEB_SERVICE_HOST, 'a host is set')
    // nc rather than wget: the static busybox's wget crashes in the test image.
    const exec = await docker.getContainer(ctr!.Id).exec({ Cmd: ['sh', '-c', 'printf "GET / HTTP/1.0\\r\\n\\r\\n" | nc $MESHTEST_WEB_SERVICE_HOST $MESHTEST_WEB_SERVICE_PORT'], AttachStdout: true, AttachStderr: true })
    const stream = await exec.start({})
    const out = await new Promise<string>((resolve) => {
      let text = ''
      stream.on('data', (d: Buffer) => (text += d.toString('latin1')))
      stream.on('end', () => resolve(text))
    })
    t.ok((await readyPods()).some((p: string) => out.includes(p)), `the container reached a pod of the service through the mesh: ${JSON.stringify(out.slice(-80))}`)
  })
}

type Decoded = ReturnType<typeof dnsPacket.decode> & { rcode?: string }

function query(host: string, port: number, name: string): Promise<Decoded> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4')
    const timer = setTimeout(() => {
      s.close()
      reject(new Error(`no DNS answer from ${host}:${port}`))
    }, 3_000)
    s.once('message', (msg) => {
      clearTimeout(timer)
      s.close()
      resolve(dnsPacket.decode(msg) as Decoded)
    })
    s.send(dnsPacket.encode({ type: 'query', id: 1, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name }] }), port, host)
  })
}

const env = await dockerEnv()
if (env.failure) t.fail(`CI=true and Docker is not usable: ${env.failure}`)
else if (env.skip) t.test('the routing mesh over Docker pods', { skip: env.skip }, async () => {})
else await run(env.docker!)
