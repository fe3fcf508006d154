// The floor under one writer's latency (issue #4's 1-client goal): the same PUT as bench-api's, through
// ever more of the agent's parts, one request at a time, in the same invocation:
// - tcp:   HTTP into a leader process, the body to two follower processes over plain TCP, LevelDB with
//          sync on all three, the answer once the leader's write and one follower's are done;
// - mesh:  the same over the agent's mesh (libp2p, private network, Noise, yamux, framed msgpack), built
//          with the agent's dependency patches;
// - agent: three real agents (Raft, the API, validation, the cluster state), through the leader.
// What the machine can do that day, and what each layer adds to it. Each figure is the median over --runs
// runs of --seconds seconds after --warmup seconds (10 by default: the agent's request path takes that
// long to be compiled at one writer). Usage: npm run bench:floor -- --help
import { build } from 'esbuild'
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { eventually, Fleet } from '../src/fleet/local-fleet.js'
import { createJoinToken, formatJoinToken } from '../src/net/token.js'
import { agentBundleOptions, PROJECT_ROOT } from './bundle-options.js'
import { formFleet, leaderOf } from './lib/fleet.js'
import type { FloorReady, FloorTransport } from './lib/floor-replica.js'
import { configMapPut } from './lib/api-requests.js'
import { runLoad } from './lib/http-load.js'
import { median, percentile, printTable } from './lib/stats.js'
import { scriptFlags } from './lib/script-flags.js'

const { runs, seconds, warmup } = scriptFlags('bench:floor', "One writer's PUT over plain TCP + LevelDB, then over the agent's mesh, then through 3 agents.", {
  runs: { type: 'count', default: 3, help: 'runs each figure is the median of' },
  seconds: { type: 'number', default: 5, help: 'length of each measured run' },
  warmup: { type: 'number', default: 10, min: 0, help: 'seconds of unmeasured load before the first run of each layer' },
})

interface Figures {
  readonly p50: number
  readonly p99: number
  readonly rate: number
}

async function measure(host: string, port: number): Promise<Figures[]> {
  await runLoad({ host, port, clients: 1, seconds: warmup, next: configMapPut })
  const out: Figures[] = []
  for (let run = 0; run < runs; run++) {
    const r = await runLoad({ host, port, clients: 1, seconds, next: configMapPut })
    if (r.failed > 0) throw new Error(`${r.failed} requests failed: ${JSON.stringify([...r.statuses])}`)
    out.push({ p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), rate: r.ok / r.seconds })
  }
  return out
}

/** floor-replica.ts bundled as the agent is (with its dependency patches), inside the project so that what stays outside the bundle resolves from node_modules. */
async function bundleReplica(): Promise<string> {
  const outfile = join(PROJECT_ROOT, 'dist', 'bench-floor', `${process.pid}`, 'floor-replica.js')
  await build({ ...agentBundleOptions(), entryPoints: ['dist/scripts/lib/floor-replica.js'], outfile })
  return outfile
}

function startReplica(script: string, args: readonly string[], children: ChildProcess[]): Promise<FloorReady> {
  const child = fork(script, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  children.push(child)
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as FloorReady))
    child.once('exit', (code) => reject(new Error(`floor replica ${args[0]} exited with ${code}`)))
  })
}

async function floor(script: string, dir: string, transport: FloorTransport): Promise<Figures[]> {
  const children: ChildProcess[] = []
  try {
    const token = formatJoinToken(createJoinToken())
    const followers = await Promise.all([1, 2].map((n) => startReplica(script, ['follower', transport, join(dir, `${transport}-f${n}`), token], children)))
    const addresses = followers.map((f) => ('follower' in f ? f.follower : undefined))
    const ready = await startReplica(script, ['leader', transport, join(dir, `${transport}-leader`), token, JSON.stringify(addresses)], children)
    if (!('leaderPort' in ready)) throw new Error('the leader did not say where it listens')
    return await measure('127.0.0.1', ready.leaderPort)
  } finally {
    for (const c of children) c.kill('SIGKILL')
  }
}

async function agents(): Promise<Figures[]> {
  const fleet = await Fleet.create('podmesh-bench-floor-')
  try {
    const members = await formFleet(fleet)
    const leader = await eventually('a leader', () => leaderOf(members))
    return await measure(leader.host, leader.apiPort)
  } finally {
    await fleet.destroy()
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'podmesh-bench-floor-'))
  const script = await bundleReplica()
  try {
    const rows: [string, Figures[]][] = []
    for (const [name, run] of [['tcp', () => floor(script, dir, 'tcp')], ['mesh', () => floor(script, dir, 'mesh')], ['agent', agents]] as const) {
      const figures = await run()
      rows.push([name, figures])
      process.stderr.write(`${name}: p50 ${figures.map((f) => f.p50.toFixed(3)).join(', ')} ms\n`)
    }
    const what: Record<string, string> = {
      tcp: 'HTTP → 2 followers over TCP, LevelDB with sync on each',
      mesh: 'the same over the agent\'s mesh (libp2p, pnet, Noise, yamux)',
      agent: '3 agents: Raft, the API, validation, the cluster state',
    }
    console.log(`\nOne writer, the same PUT as bench-api's; median of ${runs} runs of ${seconds} s after ${warmup} s of warm-up\n`)
    let below = 0
    printTable(
      ['through', 'p50 ms', 'p99 ms', 'writes/s', 'p50 added by this layer'],
      rows.map(([name, figures]) => {
        const p50 = median(figures.map((f) => f.p50))
        const added = p50 - below
        below = p50
        return [what[name]!, p50.toFixed(3), median(figures.map((f) => f.p99)).toFixed(3), median(figures.map((f) => f.rate)).toFixed(0), name === 'tcp' ? '' : `+${added.toFixed(3)} ms`]
      }),
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
    await rm(dirname(script), { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
