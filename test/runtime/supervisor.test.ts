// The runtime-independent supervisors over a fake driver and a fake clock: restarts and their backoff,
// image pull errors, probes, restart policies, coalesced change notification, which runs logs read,
// adoption of what an earlier agent left.
import t from 'tap'
import { podConfigHash } from '../../src/runtime/config-hash.js'
import { SupervisedRuntime } from '../../src/runtime/supervised-runtime.js'
import type { ContainerStatus } from '../../src/runtime/types.js'
import { FakeClock, FakeDriver, settle } from './fakes.js'
import { container, pod, probe, statusOf } from './fixtures.js'

function setup () {
  const clock = new FakeClock()
  const driver = new FakeDriver(clock)
  const rt = new SupervisedRuntime(driver, { clock, resyncMs: 0 })
  const main = (uid: string): ContainerStatus => statusOf(rt, uid)!.containerStatuses[0]!
  return { clock, driver, rt, main }
}

const reason = (c: ContainerStatus): string => 'waiting' in c.state ? c.state.waiting.reason : 'running' in c.state ? 'running' : 'terminated'

t.test('a crashing container: restarted at once, then after 1 s, 2 s (CrashLoopBackOff)', async t => {
  const { clock, driver, rt, main } = setup()
  const p = pod([container('main', { command: ['x'] })])
  await rt.reconcile([p])
  await clock.advance(0)
  t.equal(reason(main(p.uid)), 'running')
  driver.exit(driver.current('main')!.id, 1)
  await clock.advance(0)
  t.equal(reason(main(p.uid)), 'running', 'first restart immediate')
  t.equal(main(p.uid).restartCount, 1)
  t.equal(driver.current('main')!.restartCount, 1, 'the engine is told the count (Docker keeps it in a label)')
  driver.exit(driver.current('main')!.id, 1)
  await clock.advance(0)
  t.equal(reason(main(p.uid)), 'CrashLoopBackOff')
  t.match((main(p.uid).state as { waiting: { message: string } }).waiting.message, /back-off 1s/)
  await clock.advance(999)
  t.equal(reason(main(p.uid)), 'CrashLoopBackOff')
  await clock.advance(1)
  t.equal(reason(main(p.uid)), 'running')
  t.equal(main(p.uid).restartCount, 2)
  driver.exit(driver.current('main')!.id, 1)
  await clock.advance(1999)
  t.equal(reason(main(p.uid)), 'CrashLoopBackOff')
  await clock.advance(1)
  t.equal(main(p.uid).restartCount, 3)
  t.equal(statusOf(rt, p.uid)!.phase, 'Running')
})

t.test('a failed pull: ErrImagePull, then ImagePullBackOff while waiting, retried with backoff until it works', async t => {
  const { clock, driver, rt, main } = setup()
  driver.pullFailures = 2
  const p = pod([container('main', { command: ['x'] })])
  await rt.reconcile([p])
  await clock.advance(0)
  t.equal(reason(main(p.uid)), 'ErrImagePull')
  t.match((main(p.uid).state as { waiting: { message: string } }).waiting.message, /pull access denied/)
  t.equal(statusOf(rt, p.uid)!.phase, 'Pending')
  await clock.advance(500)
  t.equal(reason(main(p.uid)), 'ImagePullBackOff')
  await clock.advance(500)
  t.equal(driver.pulls, 2, 'retried after 1 s')
  t.equal(reason(main(p.uid)), 'ErrImagePull')
  await clock.advance(1999)
  t.equal(driver.pulls, 2)
  await clock.advance(1)
  t.equal(driver.pulls, 3, 'then after 2 s')
  t.equal(reason(main(p.uid)), 'running')
  t.equal(main(p.uid).restartCount, 0, 'pull retries are not restarts')
})

t.test('a failing liveness probe stops the container; it is restarted and counted', async t => {
  const { clock, driver, rt, main } = setup()
  const p = pod([container('main', { command: ['x'], livenessProbe: probe({ exec: { command: ['check'] } }, { initialDelaySeconds: 2, periodSeconds: 1, failureThreshold: 2 }) })])
  await rt.reconcile([p])
  await clock.advance(0)
  driver.execResult.set('main', 1)
  const first = driver.current('main')!.id
  await clock.advance(2000)
  t.same(driver.stops, [], 'one failure is below the threshold')
  await clock.advance(1000)
  t.same(driver.stops, [first], 'the second failure kills it')
  t.equal(main(p.uid).restartCount, 1)
  t.match(JSON.stringify(main(p.uid).lastState), /failed liveness probe/)
  driver.execResult.set('main', 0)
  await clock.advance(10_000)
  t.equal(driver.stops.length, 1, 'a passing probe leaves the new run alone')
})

t.test('readiness sets Ready; a startup probe holds liveness and readiness back until it passes', async t => {
  const { clock, driver, rt, main } = setup()
  const p = pod([container('main', {
    command: ['x'],
    startupProbe: probe({ exec: { command: ['s'] } }, { periodSeconds: 1, failureThreshold: 10 }),
    readinessProbe: probe({ exec: { command: ['r'] } }, { periodSeconds: 1 }),
  })])
  driver.execResult.set('main', 1)
  await rt.reconcile([p])
  await clock.advance(3000)
  t.equal(main(p.uid).started, false)
  t.equal(main(p.uid).ready, false)
  driver.execResult.set('main', 0)
  await clock.advance(1000)
  t.equal(main(p.uid).started, true)
  await clock.advance(1000)
  t.equal(main(p.uid).ready, true)
  t.equal(statusOf(rt, p.uid)!.conditions.find(c => c.type === 'Ready')!.status, 'True')
  driver.execResult.set('main', 1)
  await clock.advance(3000)
  t.equal(main(p.uid).ready, false, 'three failures make it unready')
  t.equal(driver.stops.length, 0, 'readiness never restarts')
})

t.test('restart policies: Never ends Failed, OnFailure ends Succeeded on exit 0', async t => {
  const { clock, driver, rt } = setup()
  const never = pod([container('main', { command: ['x'] })], { restartPolicy: 'Never' })
  const onFailure = pod([container('main', { command: ['x'] })], { restartPolicy: 'OnFailure' })
  await rt.reconcile([never, onFailure])
  await clock.advance(0)
  const runs = driver.runs.slice()
  driver.exit(runs.find(r => r.uid === never.uid)!.id, 3)
  driver.exit(runs.find(r => r.uid === onFailure.uid)!.id, 0)
  await clock.advance(60_000)
  t.equal(statusOf(rt, never.uid)!.phase, 'Failed')
  t.equal(statusOf(rt, onFailure.uid)!.phase, 'Succeeded')
  t.equal(driver.runs.length, 2, 'nothing restarted')
})

t.test('reconcile removes pods no longer desired and replaces a pod whose spec changed', async t => {
  const { clock, driver, rt } = setup()
  const p = pod([container('main', { command: ['x'] })])
  await rt.reconcile([p])
  await clock.advance(0)
  await rt.reconcile([p])
  t.equal(driver.runs.length, 1, 'idempotent')
  const changed = { ...p, spec: { ...p.spec, containers: [container('main', { command: ['y'] })] } }
  await rt.reconcile([changed])
  await rt.settled()
  await clock.advance(0)
  t.equal(driver.runs.length, 2)
  t.equal(driver.runs[0]!.running, false, 'the old run was removed')
  await rt.reconcile([])
  await rt.settled()
  t.same(rt.statuses(), [])
  t.notOk(driver.runs.some(r => r.running))
})

t.test('status changes are coalesced into one onChange call per window', async t => {
  const { clock, driver, rt } = setup()
  let calls = 0
  const off = rt.onChange(() => { calls++ })
  const p = pod([container('a', { command: ['x'] }), container('b', { command: ['x'] })])
  await rt.reconcile([p])
  await clock.advance(0)
  driver.exit(driver.current('a')!.id, 1)
  driver.exit(driver.current('b')!.id, 1)
  await settle()
  t.equal(calls, 0, 'nothing before the window closes')
  await clock.advance(50)
  t.equal(calls, 1, 'many changes, one call')
  off()
  driver.exit(driver.current('a')!.id, 1)
  await clock.advance(5000)
  t.equal(calls, 1, 'unsubscribed')
})

t.test('a dead sandbox: the containers are stopped, a new sandbox is made and they run again in it, counted as restarts', async t => {
  const { clock, driver, rt } = setup()
  const p = pod([container('a', { command: ['x'] }), container('b', { command: ['x'] })])
  await rt.reconcile([p])
  await clock.advance(0)
  const before = statusOf(rt, p.uid)!
  const firstRuns = driver.runs.map(r => r.id)
  const oldSandbox = driver.sandbox.get(p.uid)!
  driver.killSandbox(p.uid)
  await clock.advance(0)
  const after = statusOf(rt, p.uid)!
  t.same(driver.stops.sort(), [...firstRuns].sort(), 'every container of the dead sandbox was stopped')
  t.not(driver.sandbox.get(p.uid), oldSandbox, 'a new sandbox')
  t.not(after.podIP, before.podIP, 'the pod IP is the new sandbox’s')
  t.equal(after.startTime, before.startTime, 'startTime stays')
  for (const name of ['a', 'b']) {
    const c = after.containerStatuses.find(x => x.name === name)!
    t.ok('running' in c.state, `${name} runs again`)
    t.equal(c.restartCount, 1, `${name}: one restart`)
    t.match(JSON.stringify(c.lastState), /Pod sandbox changed/)
  }
  t.equal(driver.runs.filter(r => r.running).length, 2, 'two runs, not four')
  t.equal(after.reason, undefined, 'the SandboxChanged reason is gone once the sandbox is back')
  const runs = driver.runs.length
  driver.killSandbox(p.uid, oldSandbox)
  await clock.advance(0)
  t.equal(driver.runs.length, runs, 'a late report of the old sandbox’s death changes nothing')
})

t.test('a dead sandbox of a restartPolicy Never pod: its containers stop for good, no new sandbox', async t => {
  const { clock, driver, rt } = setup()
  const p = pod([container('main', { command: ['x'] })], { restartPolicy: 'Never' })
  await rt.reconcile([p])
  await clock.advance(0)
  driver.killSandbox(p.uid)
  await clock.advance(60_000)
  t.equal(driver.sandbox.get(p.uid), undefined, 'no new sandbox')
  t.equal(driver.runs.length, 1, 'not restarted')
  t.equal(statusOf(rt, p.uid)!.phase, 'Failed')
})

async function logText (rt: SupervisedRuntime, uid: string, previous: boolean): Promise<string> {
  let s = ''
  for await (const b of rt.logs(uid, { previous })) s += new TextDecoder().decode(b)
  return s
}

t.test('an exited run is kept until the run after it exits: logs in back-off show it, --previous the run before', async t => {
  const { clock, driver, rt, main } = setup()
  const p = pod([container('main', { command: ['x'] })])
  await rt.reconcile([p])
  await clock.advance(0)
  const first = driver.current('main')!.id
  t.equal(await logText(rt, p.uid, false), first)
  await t.rejects(logText(rt, p.uid, true), { name: 'NoPreviousRunError' }, 'no previous run before any exit')
  driver.exit(first, 3)
  await clock.advance(0)
  const second = driver.current('main')!.id
  t.equal(await logText(rt, p.uid, false), second, 'logs: the run now running')
  t.equal(await logText(rt, p.uid, true), first, '--previous: the run that exited')
  t.same(driver.discarded, [], 'the exited run is kept while its replacement runs')
  driver.exit(second, 3)
  await clock.advance(0)
  t.equal(reason(main(p.uid)), 'CrashLoopBackOff')
  t.equal(await logText(rt, p.uid, false), second, 'in back-off, logs show the last run')
  t.equal(await logText(rt, p.uid, true), second, 'and so does --previous, as in Kubernetes')
  t.same(driver.discarded, [first], 'the run two back is removed when the next one exits')
  await clock.advance(1000)
  t.equal(await logText(rt, p.uid, true), second)
  t.same(driver.discarded, [first], 'not when the replacement starts')
})

t.test('adopting a container that exited in back-off: the restart count stays and the backoff resumes from its exit', async t => {
  const { clock, driver, rt, main } = setup()
  const p = pod([container('main', { command: ['x'] })])
  const finishedAt = clock.now() - 10_000
  driver.adoptable = [{
    uid: p.uid,
    configHash: podConfigHash(p),
    sandbox: { id: 's0', podIP: '10.0.0.9' },
    containers: [{ name: 'main', id: 'old7', restartCount: 7, backoffFailures: 7, startedAt: finishedAt - 50, exit: { exitCode: 3, reason: 'Error', startedAt: finishedAt - 50, finishedAt } }],
  }]
  await rt.reconcile([p])
  await clock.advance(0)
  t.equal(main(p.uid).restartCount, 7, 'the count of the exited run')
  t.equal(reason(main(p.uid)), 'CrashLoopBackOff', 'still backing off, not restarted at once')
  t.match((main(p.uid).state as { waiting: { message: string } }).waiting.message, /back-off 60s/, 'the eighth crash waits the capped 60 s')
  t.equal(driver.runs.length, 0)
  t.equal(await logText(rt, p.uid, false), 'old7', 'its output is there to read')
  await clock.advance(49_999)
  t.equal(driver.runs.length, 0, '60 s from its exit, 10 s of which passed before the adoption')
  await clock.advance(1)
  t.equal(reason(main(p.uid)), 'running')
  t.equal(main(p.uid).restartCount, 8)
  t.match(driver.current('main'), { restartCount: 8, backoffFailures: 8 }, 'the new run carries the counts on')
  t.equal(await logText(rt, p.uid, true), 'old7')
})

t.test('adopting a running container keeps the exited run before it for --previous', async t => {
  const { clock, driver, rt } = setup()
  const p = pod([container('main', { command: ['x'] })])
  driver.adoptable = [{
    uid: p.uid,
    configHash: podConfigHash(p),
    sandbox: { id: 's0', podIP: '10.0.0.9' },
    containers: [{ name: 'main', id: 'run2', previousId: 'run1', restartCount: 2, backoffFailures: 2, startedAt: clock.now() - 1000 }],
  }]
  await rt.reconcile([p])
  await clock.advance(0)
  t.equal(await logText(rt, p.uid, false), 'run2')
  t.equal(await logText(rt, p.uid, true), 'run1')
})
