// The short chaos run CI makes every time: 3 real agents, 45 s of faults from a fixed seed (8: a
// paused node, a killed node, the leader killed, the leader isolated, halves, a member leaving and
// joining again), the register workload and its checker, and the orchestration workload (6 replicas
// on the process runtime: never a pod running twice, converged within 60 s of the heal). It must find
// no violation, and must really have injected the faults.
import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ChaosReport } from '../../src/chaos/report.js'

const SCRIPT = fileURLToPath(new URL('../../scripts/chaos.js', import.meta.url))
const SEED = 8

function runScript(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.on('exit', (code) => resolve({ code, output }))
  })
}

t.test(`a 45 s chaos run of 3 agents, seed ${SEED}: no violation, faults injected`, async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'podmesh-chaos-'))
  t.teardown(() => rm(out, { recursive: true, force: true }))
  const { code, output } = await runScript(['--nodes', '3', '--time', '45', '--seed', String(SEED), '--out', out])
  const dir = join(out, `chaos-${SEED}`)
  const reportText = await readFile(join(dir, 'report.txt'), 'utf8').catch(() => '(no report.txt)')
  const context = `replay: npm run chaos -- --nodes 3 --time 45 --seed ${SEED}\n${output}\n${reportText}`
  t.equal(code, 0, 'exit status 0', { context })
  const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as ChaosReport
  t.equal(report.verdict, 'ok', 'verdict ok', { context })
  t.ok(report.recovery.healthy, 'healthy after the heal')
  t.ok(report.faultsInjected >= 5, `faults injected: ${report.faultsInjected} of ${report.schedule.length}`, { context })
  const kinds = new Set(report.faults.filter((f) => f.injected).map((f) => f.kind))
  for (const k of ['kill', 'pause', 'partition']) t.ok(kinds.has(k), `a ${k} fault was injected`)
  if (report.filter.mode === 'iptables') t.same(report.filter.warnings, [], 'partitions cut every mesh connection (agents dial from their own address)')
  const reg = report.workloads.find((w) => w.name === 'cas-register')!
  const summary = reg.summary as { operations: number; checker: { result: string }; lostWrites: unknown[]; outcomes: Record<string, { ok: number }> }
  t.equal(summary.checker.result, 'ok', 'linearizable')
  t.same(summary.lostWrites, [], 'no acknowledged write lost')
  t.ok(summary.operations > 200, `${summary.operations} operations`)
  t.ok(summary.outcomes.cas!.ok > 0 && summary.outcomes.write!.ok > 0, 'writes and compare-and-sets succeeded')
  const orch = report.workloads.find((w) => w.name === 'orchestration')
  t.ok(orch, 'the orchestration workload ran', { context })
  const o = orch!.summary as { runtime: string; replicas: number; samples: number; duplicates: unknown[]; converged: { ok: boolean; ms: number } | null }
  t.equal(orch!.result, 'ok', 'orchestration: ok', { context })
  t.equal(o.runtime, 'process')
  t.same(o.duplicates, [], 'no pod ran twice')
  t.ok(o.converged?.ok, `converged to ${o.replicas} replicas after the heal (${o.converged?.ms} ms)`)
  t.ok(o.samples >= 30, `${o.samples} samples of what runs`)
  const history = JSON.parse(await readFile(join(dir, 'history.json'), 'utf8')) as { workloads: Record<string, { operations: unknown[] }> }
  t.equal(history.workloads['cas-register']!.operations.length, summary.operations, 'history.json holds every operation')
})
