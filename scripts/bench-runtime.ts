// The runtime benchmark (issue #6): three real agents on 127.0.0.1 running pods on the local Docker
// engine, busybox httpd replicas with an httpGet readiness probe (period 1 s).
// - apply → 10 replicas Ready: from the POST of the Deployment until the API shows all 10 Ready
//   (median over --runs; goal ≤ 2.5 s; Docker Swarm here: 10 replicas with a health check, 2.8 s);
// - a killed container running again: from `docker kill` until Docker reports its replacement started,
//   each trial a container's first restart (median over --runs; goal ≤ 1 s; Swarm: 6.7 s);
// - resident memory of an agent running --pods pods (default 30, pinned to it), all Ready (goal ≤ 100 MB);
//   a follower, so that the figure holds no leader's work.
// Usage: npm run bench:runtime -- --help
import { readFile } from 'node:fs/promises'
import Docker from 'dockerode'
import type { AgentProcess } from '../src/fleet/local-fleet.js'
import { dockerAvailable } from '../src/runtime/docker/index.js'
import { cleanNode } from '../test/runtime/docker-env.js'
import { TEST_IMAGE } from '../test/runtime/fixtures.js'
import { applyJson, eventually, isTrue, podsOf, runtimeFleet, type Json } from '../test/runtime/fleet-harness.js'
import { leaderOf } from './lib/fleet.js'
import { median, printTable } from './lib/stats.js'
import { JSON_FLAG, scriptFlags } from './lib/script-flags.js'

const { runs, pods: podCount, json } = scriptFlags('bench:runtime', 'Apply to 10 Ready replicas, a killed container restarted, and an agent\'s memory with its pods, on 3 agents and Docker.', {
  runs: { type: 'count', default: 5, help: 'runs (and kill trials) each figure is the median of' },
  pods: { type: 'count', default: 30, help: 'pods pinned to one follower for the memory figure' },
  ...JSON_FLAG,
})
const REPLICAS = 10
const say = (line: string): void => void process.stderr.write(line + '\n')

function webPod (labels: Record<string, string>, nodeName?: string): Json {
  return {
    metadata: { labels },
    spec: {
      ...(nodeName !== undefined ? { nodeName } : {}),
      terminationGracePeriodSeconds: 1,
      containers: [{
        name: 'web',
        image: TEST_IMAGE,
        imagePullPolicy: 'IfNotPresent',
        command: ['httpd', '-f', '-p', '8080', '-h', '/www'],
        ports: [{ containerPort: 8080 }],
        readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
        resources: { requests: { cpu: '10m', memory: '8Mi' } },
      }],
    },
  }
}

function deployment (name: string, replicas: number): object {
  const template = webPod({ app: name })
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas, selector: { matchLabels: { app: name } }, template } }
}

async function allReady (a: AgentProcess, selector: string, n: number): Promise<Json[] | undefined> {
  const items = await podsOf(a, selector)
  return items !== undefined && items.length === n && items.every(p => isTrue(p, 'Ready')) ? items : undefined
}

/** Waits until no container of these pods is left on the engine. */
async function gone (docker: Docker, uids: ReadonlySet<string>): Promise<void> {
  await eventually('the pods’ containers removed', async () => {
    const cs = await docker.listContainers({ all: true, filters: { label: ['io.podmesh.managed=true'] } })
    return !cs.some(c => uids.has(c.Labels['io.podmesh.pod-uid'] ?? ''))
  }, 120_000, 200)
}

/** Apply → all replicas Ready, in ms; the pods are left running for the restart trials. */
async function timeToReady (a: AgentProcess, name: string): Promise<{ ms: number, pods: Json[] }> {
  const started = performance.now()
  await applyJson(a, [deployment(name, REPLICAS)])
  const pods = await eventually(`${REPLICAS} replicas Ready`, () => allReady(a, `app=${name}`, REPLICAS), 120_000, 20)
  return { ms: performance.now() - started, pods }
}

/** docker kill of the pod's container → the start event of its replacement, in ms. */
async function timeToRestart (docker: Docker, uid: string): Promise<number> {
  const label = [`io.podmesh.pod-uid=${uid}`, 'io.podmesh.container=web']
  const [victim] = await docker.listContainers({ filters: { label } })
  if (victim === undefined) throw new Error(`pod ${uid} has no running web container`)
  const events = await docker.getEvents({ filters: JSON.stringify({ type: ['container'], event: ['start'], label }) })
  try {
    const startedAgain = new Promise<number>(resolve => {
      let buf = ''
      events.on('data', (chunk: Buffer) => {
        buf += chunk.toString()
        const lines = buf.split('\n')
        buf = lines.pop()!
        for (const line of lines) {
          if (line.trim() !== '' && (JSON.parse(line) as { id?: string }).id !== victim.Id) resolve(performance.now())
        }
      })
    })
    const killedAt = performance.now()
    await docker.getContainer(victim.Id).kill()
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`pod ${uid}: no restart within 30 s`)), 30_000).unref())
    return (await Promise.race([startedAgain, timeout])) - killedAt
  } finally {
    (events as unknown as { destroy: () => void }).destroy()
  }
}

async function rssMb (a: AgentProcess): Promise<number> {
  const status = await readFile(`/proc/${a.child!.pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024
}

/** RSS of agent `a` with `podCount` pods pinned to it, all Ready, after 10 s of probing. */
async function memoryWithPods (docker: Docker, a: AgentProcess): Promise<{ idle: number, loaded: number }> {
  const idle = await rssMb(a)
  const pods = Array.from({ length: podCount }, (_, i) => ({ apiVersion: 'v1', kind: 'Pod', ...withName(webPod({ bench: 'mem' }, a.name), `mem-${i + 1}`) }))
  await applyJson(a, pods)
  const ready = await eventually(`${podCount} pods Ready on ${a.name}`, () => allReady(a, 'bench=mem', podCount), 300_000, 250)
  await new Promise(resolve => setTimeout(resolve, 10_000))
  const loaded = await rssMb(a)
  for (const p of ready) await fetch(`${a.server}/v1/pods/${p.metadata.name as string}`, { method: 'DELETE' })
  await gone(docker, new Set(ready.map(p => p.metadata.uid as string)))
  return { idle, loaded }
}

function withName (o: Json, name: string): Json {
  return { ...o, metadata: { ...o.metadata, name } }
}

async function main (): Promise<void> {
  const docker = new Docker()
  if (!(await dockerAvailable({ docker, timeoutMs: 2_000 }))) {
    const why = 'Docker does not answer on its socket: run scripts/setup-docker.sh (it installs and starts dockerd and builds the test image), then npm run bench:runtime again'
    say(`bench-runtime: nothing measured. ${why}`)
    if (json) console.log(JSON.stringify({ bench: 'runtime', skipped: why }))
    return
  }
  const { fleet, agents } = await runtimeFleet(3, 'docker')
  const nodeIds = await Promise.all(agents.map(async a => (await a.status())!.node.id))
  const stop = (): void => void fleet.destroy().then(() => process.exit(130))
  process.once('SIGINT', stop)
  try {
    const m1 = agents[0]!
    const ready: number[] = []
    const restart: number[] = []
    for (let r = 0; r < runs; r++) {
      const { ms, pods } = await timeToReady(m1, `bench-${r + 1}`)
      ready.push(ms)
      const uid = pods[r % pods.length]!.metadata.uid as string
      restart.push(await timeToRestart(docker, uid))
      say(`run ${r + 1}/${runs}: ${REPLICAS} replicas Ready after ${ms.toFixed(0)} ms; a killed container started again after ${restart[r]!.toFixed(0)} ms`)
      await fetch(`${m1.server}/v1/deployments/bench-${r + 1}`, { method: 'DELETE' })
      await gone(docker, new Set(pods.map(p => p.metadata.uid as string)))
    }
    const leader = await leaderOf(agents)
    const follower = agents.find(a => a !== leader)!
    say(`memory: ${podCount} pods on ${follower.name} (a follower)`)
    const mem = await memoryWithPods(docker, follower)
    report(ready, restart, mem)
  } finally {
    await fleet.destroy()
    for (const id of nodeIds) await cleanNode(docker, id)
  }
}

function report (ready: readonly number[], restart: readonly number[], mem: { idle: number, loaded: number }): void {
  const figures = {
    bench: 'runtime',
    runs,
    readyMs: Math.round(median(ready)),
    restartMs: Math.round(median(restart)),
    agentRssMb: Number(mem.loaded.toFixed(1)),
    agentIdleRssMb: Number(mem.idle.toFixed(1)),
    pods: podCount,
  }
  if (json) { console.log(JSON.stringify(figures)); return }
  const span = (xs: readonly number[]): string => `min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}`
  console.log(`\nbench-runtime: 3 agents on 127.0.0.1, Docker, busybox httpd with an httpGet readiness probe (period 1 s), ${runs} runs (medians)\n`)
  printTable(['measure', 'median', 'goal'], [
    [`apply → ${REPLICAS} replicas Ready`, `${figures.readyMs} ms (${span(ready)})`, '≤ 2500 ms (Docker Swarm here: 2800 ms)'],
    ['docker kill → the container running again (first restart)', `${figures.restartMs} ms (${span(restart)})`, '≤ 1000 ms (Swarm: 6700 ms)'],
    [`a follower agent's resident memory, ${podCount} pods Ready`, `${figures.agentRssMb} MB (idle before: ${figures.agentIdleRssMb} MB)`, '≤ 100 MB'],
  ])
}

await main()
