// The pure pieces: restart backoff, the probe state machine, the pod phase and conditions.
import t from 'tap'
import { RestartBackoff, shouldRestart } from '../../src/runtime/restart-backoff.js'
import { ProbeTracker } from '../../src/runtime/probe-tracker.js'
import { buildPodStatus, podPhase } from '../../src/runtime/status-build.js'
import type { ContainerState, ContainerStatus } from '../../src/runtime/types.js'
import { probe } from './fixtures.js'

t.test('restart backoff: first restart immediate, then 1 s doubling, capped at 60 s, reset after 10 min of running', async t => {
  const b = new RestartBackoff()
  const delays = Array.from({ length: 10 }, () => b.next(5_000))
  t.same(delays, [0, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000])
  t.equal(b.next(600_000), 0, 'a stable run resets it')
  t.equal(b.next(1000), 1000)
  b.reset()
  t.equal(b.next(), 0)
  const pulls = new RestartBackoff({ immediateFirst: false, maxMs: 5000 })
  t.same(Array.from({ length: 5 }, () => pulls.next()), [1000, 2000, 4000, 5000, 5000])
})

t.test('restart policy decides on the exit code', async t => {
  t.same([0, 1].map(c => shouldRestart('Always', c)), [true, true])
  t.same([0, 1].map(c => shouldRestart('OnFailure', c)), [false, true])
  t.same([0, 1].map(c => shouldRestart('Never', c)), [false, false])
})

t.test('probe tracker: initial results per kind, thresholds of consecutive outcomes', async t => {
  const start = 1000
  const readiness = new ProbeTracker('readiness', probe({ exec: { command: ['x'] } }, { successThreshold: 2, failureThreshold: 3 }), start)
  t.equal(readiness.result, 'failure', 'not ready until a probe passes')
  t.equal(readiness.record(true, 1), undefined)
  t.equal(readiness.record(true, 2), 'success', 'two successes make it ready')
  t.equal(readiness.record(false, 3), undefined)
  t.equal(readiness.record(false, 4), undefined)
  t.equal(readiness.record(true, 5), undefined, 'a success breaks the run of failures')
  t.equal(readiness.record(false, 6), undefined)
  t.equal(readiness.record(false, 7), undefined)
  t.equal(readiness.record(false, 8), 'failure', 'three in a row')
  t.notOk(readiness.done, 'readiness keeps probing')
  t.equal(new ProbeTracker('liveness', probe({ exec: { command: ['x'] } }), start).result, 'success')
  t.equal(new ProbeTracker('startup', probe({ exec: { command: ['x'] } }), start).result, 'unknown')
})

t.test('probe tracker: a liveness failure holds until a new run; a startup success ends startup probing', async t => {
  const live = new ProbeTracker('liveness', probe({ exec: { command: ['x'] } }, { failureThreshold: 2 }), 0)
  t.equal(live.record(false, 1), undefined)
  t.equal(live.record(false, 2), 'failure')
  t.ok(live.done)
  t.equal(live.record(true, 3), undefined, 'held: no more results')
  const startup = new ProbeTracker('startup', probe({ exec: { command: ['x'] } }), 0)
  t.equal(startup.record(true, 1), 'success')
  t.ok(startup.done)
})

t.test('probe tracker: due after initialDelaySeconds, then every periodSeconds', async t => {
  const p = new ProbeTracker('readiness', probe({ exec: { command: ['x'] } }, { initialDelaySeconds: 5, periodSeconds: 2 }), 10_000)
  t.equal(p.dueAt(), 15_000)
  p.record(true, 15_000)
  t.equal(p.dueAt(), 17_000)
})

t.test('probe tracker: readiness that has not passed yet retries after 100 ms, 200 ms, ... up to the period', async t => {
  const p = new ProbeTracker('readiness', probe({ exec: { command: ['x'] } }, { periodSeconds: 1, failureThreshold: 1 }), 0)
  const due: number[] = []
  for (let now = 0, i = 0; i < 6; i++) {
    p.record(false, now)
    now = p.dueAt()
    due.push(now)
  }
  t.same(due, [100, 300, 700, 1500, 2500, 3500], 'doubling, then the period')
  p.record(true, 3500)
  p.record(false, 3600)
  t.equal(p.dueAt(), 4600, 'once it has passed, every failure waits the period')
  const live = new ProbeTracker('liveness', probe({ exec: { command: ['x'] } }, { periodSeconds: 1, failureThreshold: 3 }), 0)
  live.record(false, 0)
  t.equal(live.dueAt(), 1000, 'liveness always waits the period')
})

const run: ContainerState = { running: { startedAt: 'x' } }
const done = (exitCode: number): ContainerState => ({ terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', finishedAt: 'x' } })
const waiting: ContainerState = { waiting: { reason: 'ContainerCreating' } }
const cs = (state: ContainerState, lastState?: ContainerState, ready = false): ContainerStatus =>
  ({ name: 'c', image: 'i', ready, started: 'running' in state, restartCount: 0, state, ...(lastState !== undefined ? { lastState } : {}) })

t.test('pod phase as the kubelet computes it', async t => {
  t.equal(podPhase('Always', [cs(waiting)]), 'Pending')
  t.equal(podPhase('Always', [cs(run), cs(waiting)]), 'Pending', 'a container that never ran keeps it pending')
  t.equal(podPhase('Always', [cs(run), cs({ waiting: { reason: 'CrashLoopBackOff' } }, done(1))]), 'Running', 'one restarting')
  t.equal(podPhase('Always', [cs(done(0))]), 'Running', 'Always brings it back')
  t.equal(podPhase('OnFailure', [cs(done(0)), cs(done(0))]), 'Succeeded')
  t.equal(podPhase('Never', [cs(done(0)), cs(done(2))]), 'Failed')
  t.equal(podPhase('OnFailure', [cs(done(0)), cs(done(2))]), 'Running', 'the failed one comes back')
  t.equal(podPhase('Never', []), 'Pending')
})

t.test('conditions: Ready when every container is ready; transition times kept while unchanged', async t => {
  const first = buildPodStatus({ restartPolicy: 'Always', containers: [cs(run, undefined, false)], podIP: '10.0.0.1', startTime: 0 }, undefined, 1000)
  const ready = (s: typeof first): string | undefined => s.conditions.find(c => c.type === 'Ready')?.status
  t.equal(first.phase, 'Running')
  t.equal(ready(first), 'False')
  t.equal(first.podIP, '10.0.0.1')
  const same = buildPodStatus({ restartPolicy: 'Always', containers: [cs(run, undefined, false)] }, first, 5000)
  t.equal(same.conditions.find(c => c.type === 'Ready')?.lastTransitionTime, new Date(1000).toISOString())
  const flipped = buildPodStatus({ restartPolicy: 'Always', containers: [cs(run, undefined, true)] }, same, 9000)
  t.equal(ready(flipped), 'True')
  t.equal(flipped.conditions.find(c => c.type === 'Ready')?.lastTransitionTime, new Date(9000).toISOString())
  t.equal(flipped.conditions.find(c => c.type === 'PodScheduled')?.lastTransitionTime, new Date(1000).toISOString())
})
