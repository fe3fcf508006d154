// npm run demo: a 3-agent fleet on this machine, a web Deployment and its NodePort Service
// (examples/web.yaml), requests through the routing mesh all along, kill -9 of the leader, a new
// leader, the replicas healed; then everything it started is removed (also on Ctrl-C).
// Docker runs the pods when it answers (the test image is built if missing), else child processes.
//   npm run demo [-- --runtime docker|process]  (npm run demo -- --help)
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { removeDockerObjects } from '../src/chaos/orchestration-observe.js'
import { eventually, Fleet, runAgentCli, type AgentProcess } from '../src/fleet/local-fleet.js'
import { scriptFlags } from './lib/script-flags.js'

/** The checkout: the first directory up from this compiled script that holds examples/web.yaml. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'examples', 'web.yaml')) && dirname(dir) !== dir) dir = dirname(dir)
  return dir
}
const flags = scriptFlags('demo', '3 agents on this machine, a web Deployment behind a NodePort Service, kill -9 of the leader under traffic.', {
  runtime: { type: 'choice', choices: ['docker', 'process'], help: 'what runs the pods (default: Docker when it answers, else child processes)' },
})
const ROOT = findRoot()
const MANIFEST = join(ROOT, 'examples', 'web.yaml')
const IMAGE = 'podmesh-test/busybox:1'
const NODE_PORT = 30080
const HOSTS = ['127.0.0.31', '127.0.0.32', '127.0.0.33']

const t0 = performance.now()
const say = (text: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${text}`)
const indent = (text: string) => text.trimEnd().split('\n').map((l) => `        ${l}`).join('\n')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Everything cleanup must undo. */
const made: { fleet?: Fleet; nodeIds: Set<string>; orphans: number[]; tmp?: string; caller?: Caller } = { nodeIds: new Set(), orphans: [] }

async function chooseRuntime(): Promise<'docker' | 'process'> {
  const asked = flags.runtime
  if (asked === 'process') {
    say('pods run as child processes of the agents (--runtime process, as asked)')
    return 'process'
  }
  const { dockerAvailable } = await import('../src/runtime/docker/index.js')
  if (!(await dockerAvailable())) {
    say('Docker does not answer here: pods run as child processes of the agents (--runtime process)')
    return 'process'
  }
  if (!(await imagePresent())) {
    say(`Docker answers but the image ${IMAGE} is missing: building it with scripts/setup-docker.sh`)
    const code = await new Promise<number | null>((r) => spawn('bash', [join(ROOT, 'scripts', 'setup-docker.sh')], { stdio: 'inherit' }).on('exit', r))
    if (code !== 0 || !(await imagePresent())) {
      say('could not build the image (see above): pods run as child processes instead (--runtime process)')
      return 'process'
    }
  }
  say(`Docker answers: pods run in Docker containers (--runtime docker, image ${IMAGE})`)
  return 'docker'
}

async function imagePresent(): Promise<boolean> {
  const { default: Docker } = await import('dockerode')
  return new Docker().getImage(IMAGE).inspect().then(() => true, () => false)
}

async function startFleet(runtime: string): Promise<AgentProcess[]> {
  const fleet = (made.fleet = await Fleet.create('podmesh-demo-'))
  const opts = (i: number) => ({ name: `node-${i + 1}`, host: HOSTS[i]!, runtime, extraArgs: ['--publish-address', HOSTS[i]!] })
  const first = await fleet.add(opts(0))
  first.start()
  await eventually('node-1 leads', async () => (await first.status())?.node.raftRole === 'leader', 30_000)
  const token = (await runAgentCli(['token', '--data-dir', first.dataDir])).stdout.trim()
  const agents = [first]
  for (const i of [1, 2]) {
    const a = await fleet.add({ ...opts(i), join: { peer: first.meshAddress, token } })
    a.start()
    agents.push(a)
  }
  await eventually('3 voters', async () => (await first.status())?.members.filter((m) => m.role === 'voter').length === 3, 60_000)
  for (const a of agents) made.nodeIds.add((await a.status())!.node.id)
  return agents
}

async function cli(a: AgentProcess, args: readonly string[]): Promise<void> {
  console.log(`      $ agent ${args.join(' ')}`)
  const r = await a.cli(args)
  console.log(indent(r.stdout + r.stderr))
}

/** Calls the service through one node's routing mesh every 200 ms and keeps count. */
class Caller {
  ok = 0
  failed = 0
  last = ''
  private stopped = false
  private readonly done: Promise<void>

  constructor(readonly url: string) {
    this.done = this.loop()
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        const res = await fetch(this.url, { signal: AbortSignal.timeout(1_000) })
        const body = (await res.text()).trim()
        if (res.ok) {
          this.ok++
          this.last = body
        } else this.failed++
      } catch {
        this.failed++
      }
      await sleep(200)
    }
  }

  line(): string {
    return `requests to ${this.url}: ${this.ok} ok, ${this.failed} failed${this.last ? ` (last answer: "${this.last}")` : ''}`
  }

  async stop(): Promise<void> {
    this.stopped = true
    await this.done
  }
}

type Json = Record<string, any>

async function readyOn(a: AgentProcess, exclude?: string): Promise<Json[]> {
  const res = await fetch(`${a.server}/v1/pods?labelSelector=app%3Dweb`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined)
  if (!res?.ok) return []
  const items = ((await res.json()) as { items: Json[] }).items
  return items.filter((p) => p.status?.phase === 'Running' && p.spec?.nodeName !== exclude && (p.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True'))
}

/** Prints the caller's counts every 2 s until `until` settles. */
async function narrate<T>(caller: Caller, until: Promise<T>): Promise<T> {
  let settled = false
  void until.finally(() => (settled = true)).catch(() => undefined)
  while (!settled) {
    await Promise.race([sleep(2_000), until.catch(() => undefined)])
    if (!settled) say(caller.line())
  }
  return until
}

/** Direct children of a process (from /proc): the pods of a process-runtime agent. */
function childrenOf(pid: number): number[] {
  const out: number[] = []
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'latin1')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(e))
    } catch {
      // gone
    }
  }
  return out
}

async function demo(): Promise<void> {
  say('podmesh demo: 3 agents on this machine, a web service, the leader killed; about a minute')
  const runtime = await chooseRuntime()
  const replicas = runtime === 'docker' ? 3 : 1
  if (runtime === 'process') say('(child processes share this machine\'s ports, so the web Deployment gets 1 replica; Docker gives each pod its own address)')
  const agents = await startFleet(runtime)
  say(`fleet up: ${agents.map((a) => `${a.name} (api ${a.server})`).join(', ')}`)
  await cli(agents[0]!, ['get', 'nodes'])

  let manifest = MANIFEST
  if (replicas !== 3) {
    made.tmp = await mkdtemp(join(tmpdir(), 'podmesh-demo-manifest-'))
    manifest = join(made.tmp, 'web.yaml')
    await writeFile(manifest, (await readFile(MANIFEST, 'utf8')).replace('replicas: 3', `replicas: ${replicas}`))
  }
  say('applying the web Deployment and its NodePort Service (examples/web.yaml)')
  await cli(agents[0]!, ['apply', '-f', manifest])
  await eventually(`${replicas} replicas Ready`, async () => (await readyOn(agents[0]!)).length === replicas, 90_000, 250)
  say(`${replicas} replicas Ready`)
  await cli(agents[0]!, ['get', 'pods', '-o', 'wide'])
  await cli(agents[0]!, ['get', 'services'])

  const leaderName = (await agents[0]!.status())!.leader!.name
  const leader = agents.find((a) => a.name === leaderName)!
  const witness = agents.find((a) => a !== leader)!
  const caller = (made.caller = new Caller(`http://${witness.host}:${NODE_PORT}/`))
  say(`calling the service through ${witness.name}'s routing mesh every 200 ms`)
  await narrate(caller, sleep(4_000))
  if (caller.ok === 0) say(`no answer from ${witness.host}:${NODE_PORT} yet: this build may not have the routing mesh (Services); the rest of the demo goes on`)

  const onLeader = (await readyOn(witness)).filter((p) => p.spec?.nodeName === leader.name).length
  say(`kill -9 of the leader, ${leader.name} (pid ${leader.child?.pid}), which runs ${onLeader} of the ${replicas} replicas`)
  if (runtime === 'process' && leader.child?.pid) made.orphans.push(...childrenOf(leader.child.pid))
  const killedAt = performance.now()
  leader.kill9()
  const next = await narrate(caller, eventually('a new leader', async () => {
    const st = await witness.status()
    return st?.leader && st.leader.name !== leader.name ? st.leader.name : undefined
  }, 30_000))
  say(`new leader: ${next}, ${((performance.now() - killedAt) / 1000).toFixed(1)} s after the kill`)
  await narrate(caller, eventually('replicas healed', async () => (await readyOn(witness, leader.name)).length === replicas, 60_000, 250))
  const replaced = onLeader > 0 ? `; its ${onLeader} pod(s) marked lost and replaced` : ''
  say(`replicas healed: ${replicas} Ready on the other nodes, ${((performance.now() - killedAt) / 1000).toFixed(1)} s after the kill (${leader.name} stops heartbeating and turns NotReady after 2 s${replaced})`)
  await cli(witness, ['get', 'pods', '-o', 'wide'])
  await narrate(caller, sleep(2_000))
  await caller.stop()
  say(`done: ${caller.line()}`)
}

async function cleanUp(): Promise<void> {
  await made.caller?.stop()
  await made.fleet?.destroy().catch(() => undefined)
  // A process-runtime agent killed with -9 leaves its children; Docker containers outlive any agent.
  for (const pid of made.orphans) {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // gone already
    }
  }
  const removed = removeDockerObjects(made.nodeIds)
  if (made.tmp) await rm(made.tmp, { recursive: true, force: true })
  say(`cleaned up: agents stopped, data dirs removed${removed > 0 ? `, ${removed} containers removed` : ''}`)
}

let interrupted = false
process.on('SIGINT', () => {
  if (interrupted) process.exit(130)
  interrupted = true
  console.log('\ninterrupted: cleaning up (Ctrl-C again to stop at once)')
  void cleanUp().finally(() => process.exit(130))
})

try {
  await demo()
} catch (err) {
  console.error(`demo: ${(err as Error).message}`)
  if (made.fleet) console.error(made.fleet.logs().slice(-4000))
  process.exitCode = 1
} finally {
  if (!interrupted) await cleanUp()
}
