// The rollout benchmark (issue #7): three real agents on real Docker, agent i on 127.0.0.i with its own
// published node port, 10 busybox httpd replicas (readiness probe period 1 s) behind a NodePort Service.
// - a rolling update (maxSurge 2, maxUnavailable 0) under steady load through every agent's published
//   port, each request on a new connection: from the apply until the Deployment's status says complete
//   (median over --runs; goal ≤ 15 s; Docker Swarm here: 70 s at parallelism 2), and the requests that
//   failed during the rollout and until its old pods were stopped (total over the runs; goal 0);
// - the latency the routing mesh adds: p50 of requests through the mesh minus p50 of the same requests
//   sent to a pod's address directly, one at a time, interleaved in blocks (median over --runs; goal ≤ 0.3 ms).
// Usage: npm run bench:rollout -- --help
import Docker from 'dockerode'
import type { AgentProcess } from '../src/fleet/local-fleet.js'
import { eventually } from '../src/fleet/local-fleet.js'
import { dockerAvailable } from '../src/runtime/docker/index.js'
import { cleanNode } from '../test/runtime/docker-env.js'
import { connectLoad, quantile, requestOnce, type ConnectLoadResult, type Target } from './lib/connect-load.js'
import { median, printTable } from './lib/stats.js'
import { JSON_FLAG, scriptFlags } from './lib/script-flags.js'
import { applyJson, getJson, nodePortOf, readyWeb, webDeployment, webFleet, webService, type Json } from './lib/web-fleet.js'

const { runs, requests, json } = scriptFlags('bench:rollout', 'A rolling update of 10 httpd replicas under load on 3 agents and Docker, and the latency the routing mesh adds.', {
  runs: { type: 'count', default: 3, help: 'rollouts (and latency rounds) each figure is the median of' },
  requests: { type: 'count', default: 1000, help: 'requests per latency round, through the mesh and direct each' },
  ...JSON_FLAG,
})
const REPLICAS = 10
const say = (line: string): void => void process.stderr.write(line + '\n')

function complete(d: Json | undefined, generation: number): boolean {
  const s = d?.status ?? {}
  return (s.observedGeneration ?? 0) >= generation && s.updatedReplicas === REPLICAS && s.replicas === REPLICAS && s.availableReplicas === REPLICAS
}

/** One rolling update to `version` under load: ms from the apply to complete, and the failed requests. */
async function rollout(agents: readonly AgentProcess[], port: number, version: string): Promise<{ ms: number; load: ConnectLoadResult[] }> {
  const m1 = agents[0]!
  const ac = new AbortController()
  const loads = agents.map((a) => connectLoad({ host: a.host, port }, { clients: 1, signal: ac.signal, pauseMs: 5 }))
  await new Promise((r) => setTimeout(r, 500))
  const before = (await getJson(m1, '/v1/deployments/web'))!.metadata.generation as number
  const started = performance.now()
  await applyJson(m1, [webDeployment({ replicas: REPLICAS, version })])
  await eventually('the rollout complete', async () => complete(await getJson(m1, '/v1/deployments/web'), before + 1), 300_000, 25)
  const ms = performance.now() - started
  // Old pods terminate for 2 s after the rollout completes: the load runs until they are stopped.
  await eventually('only new pods left', async () => {
    const items = ((await getJson(m1, '/v1/pods?labelSelector=app%3Dweb'))?.items ?? []) as Json[]
    return items.length === REPLICAS
  }, 60_000, 100)
  await new Promise((r) => setTimeout(r, 1_500))
  ac.abort()
  return { ms, load: await Promise.all(loads) }
}

/** p50 through the mesh minus p50 to one pod directly, in ms, over `requests` of each, in blocks of 100. */
async function meshAddedP50(m1: AgentProcess, port: number): Promise<{ added: number; mesh: number; direct: number }> {
  const pod = (await readyWeb(m1))[0]!
  const direct: Target = { host: pod.status.podIP as string, port: 8080 }
  const mesh: Target = { host: m1.host, port }
  const viaMesh: number[] = []
  const viaPod: number[] = []
  for (let done = 0; done < requests; done += 100) {
    const n = Math.min(100, requests - done)
    for (const [target, into] of [[mesh, viaMesh], [direct, viaPod]] as const) {
      const r = await connectLoad(target, { clients: 1, count: n })
      if (r.failed > 0) throw new Error(`latency requests failed: ${r.failures[0]!.error}`)
      into.push(...r.latencies)
    }
  }
  const p50 = (xs: number[]) => quantile(Float64Array.from(xs).sort(), 0.5)
  return { added: p50(viaMesh) - p50(viaPod), mesh: p50(viaMesh), direct: p50(viaPod) }
}

async function main(): Promise<void> {
  const docker = new Docker()
  if (!(await dockerAvailable({ docker, timeoutMs: 2_000 }))) {
    const why = 'Docker does not answer on its socket: run scripts/setup-docker.sh (it installs and starts dockerd and builds the test image), then npm run bench:rollout again'
    say(`bench-rollout: nothing measured. ${why}`)
    if (json) console.log(JSON.stringify({ bench: 'rollout', skipped: why }))
    return
  }
  const { fleet, agents } = await webFleet(3, 'podmesh-bench-roll-')
  const nodeIds = await Promise.all(agents.map(async (a) => (await a.status())!.node.id))
  const stop = (): void => void fleet.destroy().then(() => process.exit(130))
  process.once('SIGINT', stop)
  try {
    const m1 = agents[0]!
    await applyJson(m1, [webService(), webDeployment({ replicas: REPLICAS, version: 'v1' })])
    await eventually(`${REPLICAS} replicas Ready`, async () => (await readyWeb(m1, 'v1')).length === REPLICAS, 300_000, 250)
    const port = await nodePortOf(m1)
    for (const a of agents) await eventually(`the Service answers on ${a.host}:${port}`, async () => (await requestOnce({ host: a.host, port }).catch(() => 0)) === 200, 30_000, 100)
    const times: number[] = []
    const added: number[] = []
    let ok = 0
    let failed = 0
    for (let r = 0; r < runs; r++) {
      const { ms, load } = await rollout(agents, port, `v${r + 2}`)
      const f = load.reduce((n, x) => n + x.failed, 0)
      times.push(ms)
      failed += f
      ok += load.reduce((n, x) => n + x.ok, 0)
      const lat = await meshAddedP50(m1, port)
      added.push(lat.added)
      const why = f > 0 ? ` (${load.flatMap((x) => x.failures.slice(0, 3).map((e) => `+${e.at} ms ${e.error}`)).join('; ')})` : ''
      say(`run ${r + 1}/${runs}: rolled out in ${ms.toFixed(0)} ms, ${f} failed requests${why}; mesh p50 ${lat.mesh.toFixed(3)} ms, direct ${lat.direct.toFixed(3)} ms`)
    }
    report(times, failed, ok, added)
  } finally {
    await fleet.destroy()
    for (const id of nodeIds) await cleanNode(docker, id)
  }
}

function report(times: readonly number[], failed: number, ok: number, added: readonly number[]): void {
  const figures = { bench: 'rollout', runs, rolloutMs: Math.round(median(times)), failedRequests: failed, answeredRequests: ok, meshAddedP50Ms: Number(median(added).toFixed(3)) }
  if (json) return void console.log(JSON.stringify(figures))
  const span = (xs: readonly number[], d = 0) => `min ${Math.min(...xs).toFixed(d)}, max ${Math.max(...xs).toFixed(d)}`
  console.log(`\nbench-rollout: 3 agents (127.0.0.1-3), Docker, ${REPLICAS} busybox httpd replicas behind a NodePort Service, ${runs} runs (medians)\n`)
  printTable(['measure', 'figure', 'goal'], [
    [`rolling update of ${REPLICAS} (maxSurge 2, maxUnavailable 0), apply → complete`, `${figures.rolloutMs} ms (${span(times)})`, '≤ 15000 ms (Docker Swarm here: 70 s)'],
    ['failed requests through the mesh during the rollouts', `${failed} of ${failed + ok}`, '0'],
    ['latency the mesh adds, p50 (mesh − direct)', `${figures.meshAddedP50Ms} ms (${span(added, 3)})`, '≤ 0.3 ms'],
  ])
}

await main()
