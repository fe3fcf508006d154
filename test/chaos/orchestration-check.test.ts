// The orchestration checks fire on hand-made violations: a pod running twice, a missing replica, a
// replica on a node that left, an orphan of a killed agent; and the process observer finds real
// processes by their marker, with their pod uid and runner.
import t from 'tap'
import { spawn, type ChildProcess } from 'node:child_process'
import { convergenceProblems, findDuplicates, type Instance, type StateView } from '../../src/chaos/orchestration-check.js'
import { MARKER_ENV, ProcessObserver } from '../../src/chaos/orchestration-observe.js'

const agentOf = (memberId: string) => ({ kind: 'agent' as const, memberId })

function fleet(): { instances: Instance[]; state: StateView } {
  const nodes: [string, string][] = [['n1', 'm1'], ['n2', 'm2'], ['n3', 'm3']]
  const pods = [0, 1, 2].map((i) => ({ uid: `u${i}`, name: `web-${i}`, nodeName: nodes[i]![0], phase: 'Running' }))
  const instances = pods.map((p, i) => ({ id: `pid ${100 + i}`, podUid: p.uid, runner: agentOf(nodes[i]![1]) }))
  return { instances, state: { pods, nodeMembers: new Map(nodes), members: new Set(['m1', 'm2', 'm3']) } }
}

t.test('a converged fleet has no problem', async (t) => {
  const { instances, state } = fleet()
  t.same(convergenceProblems(instances, state, 3), [])
  t.same(findDuplicates(instances, new Map()), [])
})

t.test('a pod running twice is a duplicate, during the run and at the end', async (t) => {
  const { instances, state } = fleet()
  const twice = [...instances, { id: 'pid 999', podUid: 'u1', runner: { kind: 'orphan' as const, detail: 'parent pid 1 is no agent of the run' } }]
  const dups = findDuplicates(twice, new Map([['u1', 'web-1']]))
  t.equal(dups.length, 1)
  t.equal(dups[0]!.pod, 'web-1')
  t.equal(dups[0]!.instances.length, 2)
  const problems = convergenceProblems(twice, state, 3)
  t.ok(problems.some((p) => p.includes('runs 2 times')), 'named as running twice')
  t.ok(problems.some((p) => p.includes('has no agent')), 'the orphan is named')
  t.ok(problems.some((p) => p.includes('4 instances run, want 3')))
})

t.test('a missing replica: fewer instances, or the state short of Running pods', async (t) => {
  const { instances, state } = fleet()
  const problems = convergenceProblems(instances.slice(1), state, 3)
  t.ok(problems.some((p) => p.includes('2 instances run, want 3')))
  t.ok(problems.some((p) => p.includes('web-0 is Running on n1 in the state, but nothing runs it')))
  const short = { ...state, pods: state.pods.slice(1) }
  t.ok(convergenceProblems(instances.slice(1), short, 3).some((p) => p.includes('the state has 2 Running pods, want 3')))
})

t.test('a replica on a node that left', async (t) => {
  const { instances, state } = fleet()
  // n3 left (its member m3 is gone) and joined again as m4; its old agent's instance still runs.
  const after = { ...state, members: new Set(['m1', 'm2', 'm4']), nodeMembers: new Map([['n1', 'm1'], ['n2', 'm2'], ['n3', 'm4']]) }
  const problems = convergenceProblems(instances, after, 3)
  t.ok(problems.some((p) => p.includes('web-2 runs on a node that left')), problems.join('\n'))
  t.ok(problems.some((p) => p.includes('runs web-2, bound to n3 (member m4)')))
})

t.test('an instance of a pod the state no longer has, and a pod the state does not call Running', async (t) => {
  const { instances, state } = fleet()
  const stale = { ...state, pods: [...state.pods.slice(0, 2), { ...state.pods[2]!, phase: 'Unknown' }] }
  t.ok(convergenceProblems(instances, stale, 3).some((p) => p.includes('web-2 runs, but the state says Unknown')))
  const gone = { ...state, pods: state.pods.slice(0, 2) }
  t.ok(convergenceProblems(instances, gone, 3).some((p) => p.includes('which the state no longer has')))
})

function sleeper(runId: string, uid: string): ChildProcess {
  const env = { PATH: process.env.PATH, [MARKER_ENV]: runId, PODMESH_VOLUME_CHAOS: `/tmp/podmesh-process/node-x/${uid}/volumes/chaos` }
  return spawn('sleep', ['60'], { env, stdio: 'ignore' })
}

t.test('the process observer finds live marked processes, their pod and their runner', async (t) => {
  const runId = `test-${process.pid}-${Date.now()}`
  const observer = new ProcessObserver(runId)
  const a = sleeper(runId, 'uid-a')
  const b = sleeper(runId, 'uid-a')
  const other = sleeper(`${runId}-other`, 'uid-a')
  t.teardown(() => {
    for (const c of [a, b, other]) c.kill('SIGKILL')
  })
  await Promise.all([a, b, other].map((c) => new Promise((r) => c.once('spawn', r))))
  // Our pid stands for the agent that started them.
  const seen = await observer.observe(new Map([[process.pid, 'm1']]))
  t.same(seen.map((i) => i.id).sort(), [`pid ${a.pid}`, `pid ${b.pid}`].sort(), 'only the processes of this run')
  t.ok(seen.every((i) => i.podUid === 'uid-a' && i.runner.kind === 'agent' && i.runner.memberId === 'm1'))
  t.equal(findDuplicates(seen, new Map()).length, 1, 'two instances of one pod: a duplicate')
  const orphans = await observer.observe(new Map())
  t.ok(orphans.every((i) => i.runner.kind === 'orphan'), 'without their agent, orphans')
  t.equal(await observer.removeAll(), 2, 'cleanup kills both')
  await Promise.all([a, b].map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once('exit', r)))))
  t.same(await observer.observe(new Map()), [], 'nothing left')
  t.equal(other.exitCode === null && other.signalCode === null, true, "another run's process is left alone")
})
