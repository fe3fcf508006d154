// Raft commit benchmark: 3 in-process drivers, real LevelStorage (fsync) in fresh temp dirs, MemoryNetwork.
// Measures commits/s and commit latency (propose -> applied on the leader) at 1 and 64 concurrent proposers.
// Usage: npm run bench:raft -- --help
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { RaftDriver } from '../src/raft/driver.js'
import type { StateMachine } from '../src/raft/driver.js'
import { LevelStorage } from '../src/raft/level-storage.js'
import { MemoryNetwork } from '../src/raft/memory-transport.js'
import type { Entry } from '../src/raft/types.js'
import { emitFigures } from './lib/bench-json.js'
import { JSON_FLAG, scriptFlags } from './lib/script-flags.js'

const IDS = ['n1', 'n2', 'n3']

class CountingMachine implements StateMachine {
  applied = 0
  apply(entries: readonly Entry[]): void {
    this.applied += entries.length
  }
  restore(): void {}
  snapshot(): Uint8Array {
    return new Uint8Array(8)
  }
}

interface Bench {
  readonly leader: RaftDriver
  close(): Promise<void>
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

async function retry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn()
    } catch (err) {
      if (attempt > 500) throw err
      await sleep(10)
    }
  }
}

async function startCluster(): Promise<Bench> {
  const root = await mkdtemp(join(tmpdir(), 'podmesh-bench-raft-'))
  const net = new MemoryNetwork()
  const nodes: { driver: RaftDriver; store: LevelStorage }[] = []
  const close = async (): Promise<void> => {
    for (const n of nodes) await n.driver.stop()
    for (const n of nodes) await n.store.close()
    await rm(root, { recursive: true, force: true })
  }
  try {
    for (const [i, id] of IDS.entries()) {
      const store = await LevelStorage.open(join(root, id))
      const transport = net.endpoint(id)
      const driver = await RaftDriver.start({ storage: store, transport, stateMachine: new CountingMachine() }, { id, bootstrap: i === 0 })
      transport.attach(driver)
      nodes.push({ driver, store })
    }
    const leader = nodes[0]!.driver
    for (const id of IDS.slice(1)) {
      await retry(() => leader.proposeConfChange({ type: 'addVoter', node: id }))
    }
    return { leader, close }
  } catch (err) {
    await close()
    throw err
  }
}

interface RunResult {
  readonly commitsPerSec: number
  /** Process CPU time (all threads: JS, LevelDB workers) per commit: comparable across machines with other load. */
  readonly cpuUsPerCommit: number
  readonly p50: number
  readonly p99: number
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}

async function measure(leader: RaftDriver, proposers: number, seconds: number, payload: Uint8Array): Promise<RunResult> {
  const latencies: number[] = []
  let recording = false
  let running = true
  const worker = async (): Promise<void> => {
    while (running) {
      const start = performance.now()
      await leader.propose(payload)
      if (recording) latencies.push(performance.now() - start)
    }
  }
  const workers = Array.from({ length: proposers }, worker)
  await sleep(300) // warm-up: JIT, LevelDB memtable
  recording = true
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  await sleep(seconds * 1000)
  recording = false
  const cpu = process.cpuUsage(cpu0)
  const elapsed = (performance.now() - t0) / 1000
  running = false
  await Promise.all(workers)
  const sorted = Float64Array.from(latencies).sort()
  const cpuUsPerCommit = (cpu.user + cpu.system) / Math.max(1, latencies.length)
  return { commitsPerSec: latencies.length / elapsed, cpuUsPerCommit, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

function row(cells: readonly (string | number)[]): string {
  return cells.map((c, i) => String(c).padStart(i === 0 ? 9 : 13)).join(' ')
}

async function main(): Promise<void> {
  const flags = scriptFlags('bench:raft', 'Commits of 3 in-process Raft drivers on LevelDB with fsync, over an in-memory network.', {
    runs: { type: 'count', default: 5, help: 'runs each figure is the median of' },
    seconds: { type: 'number', default: 3, help: 'length of each run' },
    proposers: { type: 'numbers', default: [1, 64], help: 'concurrent proposers, one row each' },
    payload: { type: 'count', default: 64, help: 'bytes per proposal' },
    ...JSON_FLAG,
  })
  const { runs, seconds } = flags
  const payload = new Uint8Array(flags.payload).fill(0x61)
  const levels = flags.proposers
  const results = new Map<number, RunResult[]>()
  for (const proposers of levels) {
    for (let run = 1; run <= runs; run++) {
      const bench = await startCluster()
      try {
        const r = await measure(bench.leader, proposers, seconds, payload)
        console.error(`proposers=${proposers} run ${run}/${runs}: ${r.commitsPerSec.toFixed(0)} commits/s, p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, ${r.cpuUsPerCommit.toFixed(0)} µs cpu/commit`)
        results.set(proposers, [...(results.get(proposers) ?? []), r])
      } finally {
        await bench.close()
      }
    }
  }
  const figure = (p: number, f: (r: RunResult) => number) => median((results.get(p) ?? []).map(f))
  const figures: Record<string, number> = {}
  for (const p of results.keys()) Object.assign(figures, { [`commitsPerSec${p}`]: Math.round(figure(p, (r) => r.commitsPerSec)), [`p50Ms${p}`]: Number(figure(p, (r) => r.p50).toFixed(3)) })
  if (emitFigures('raft', figures)) return
  console.log(`\nRaft commit benchmark: 3 nodes in-process, LevelDB with fsync, ${payload.length}-byte payloads, ${runs} runs x ${seconds} s (medians)`)
  console.log(row(['proposers', 'commits/s', 'p50 ms', 'p99 ms', 'cpu µs/commit']))
  for (const [proposers, rs] of results) {
    console.log(row([proposers, median(rs.map((r) => r.commitsPerSec)).toFixed(0), median(rs.map((r) => r.p50)).toFixed(3), median(rs.map((r) => r.p99)).toFixed(3), median(rs.map((r) => r.cpuUsPerCommit)).toFixed(0)]))
  }
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
