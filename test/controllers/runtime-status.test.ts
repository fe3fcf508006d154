// The fake runtime's lifecycle, the status merge the agents and the leader share, pod names, and the
// work queue's retry.
import t from 'tap'
import { podName, randomSuffix, templateHash } from '../../src/controllers/names.js'
import { lostStatus, mergeReported, recoveredStatus, reportDiffers, unschedulableStatus } from '../../src/controllers/pod-status.js'
import { WorkQueue } from '../../src/controllers/work-queue.js'
import { FakeRuntime } from '../../src/runtime/fake.js'
import { createRuntime } from '../../src/runtime/select.js'
import type { RuntimePod } from '../../src/runtime/types.js'

const pod = (uid: string): RuntimePod => ({ uid, namespace: 'default', name: uid, labels: {}, spec: { containers: [{ name: 'c', image: 'x', imagePullPolicy: 'IfNotPresent' }], restartPolicy: 'Always', terminationGracePeriodSeconds: 30 }, env: {}, files: {} })

t.test('fake runtime: Pending, then Running and Ready; fail(); removal', async (t) => {
  const rt = new FakeRuntime({ startDelayMs: 10 })
  t.teardown(() => rt.close())
  let changes = 0
  rt.onChange(() => changes++)
  await rt.reconcile([pod('u1'), pod('u2')])
  t.same(rt.statuses().map((s) => s.status.phase), ['Pending', 'Pending'])
  await new Promise((r) => setTimeout(r, 50))
  t.same(rt.statuses().map((s) => s.status.phase), ['Running', 'Running'])
  t.ok(rt.statuses()[0]!.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'))
  t.ok(changes >= 2, 'listeners heard the changes')
  t.ok(rt.fail('u1'))
  t.equal(rt.statuses().find((s) => s.uid === 'u1')?.status.phase, 'Failed')
  await rt.reconcile([pod('u2')])
  t.same(rt.statuses().map((s) => s.uid), ['u2'])
})

t.test('createRuntime knows fake and names the others it does not know', async (t) => {
  t.equal((await createRuntime('fake', { nodeId: 'n1' })).name, 'fake')
  await t.rejects(createRuntime('podman', { nodeId: 'n1' }), { name: 'UnknownRuntimeError' })
})

t.test('a runtime report keeps the scheduler condition, and an unchanged report is not sent', async (t) => {
  const rt = new FakeRuntime({ startDelayMs: 0 })
  await rt.reconcile([pod('u')])
  const reported = rt.statuses()[0]!.status
  const stored = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: 't0' }] }
  t.ok(reportDiffers(stored, reported))
  const merged = mergeReported(stored, reported)
  t.ok((merged.conditions as { type: string }[]).some((c) => c.type === 'PodScheduled'))
  t.notOk(reportDiffers(merged, reported), 'once stored, the same report changes nothing')
  await rt.close()
})

t.test('unschedulable is written again only when the message changes; lost and recovered', async (t) => {
  const once = unschedulableStatus({}, '0/1 nodes available: 1 insufficient memory', 't1')!
  t.equal(unschedulableStatus(once, '0/1 nodes available: 1 insufficient memory', 't2'), undefined)
  t.ok(unschedulableStatus(once, '0/2 nodes available: 2 insufficient memory', 't2'))
  const lost = lostStatus({ phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }] }, 'n1', 't3')
  t.match(lost, { phase: 'Unknown', reason: 'NodeLost' })
  t.same(recoveredStatus(lost), { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] })
})

t.test('pod names: stable template hash, safe alphabet, length limit', async (t) => {
  const h = templateHash({ spec: { containers: [{ name: 'a' }] } })
  t.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{10}$/)
  t.equal(templateHash({ spec: { containers: [{ name: 'a' }] } }), h)
  t.not(templateHash({ spec: { containers: [{ name: 'b' }] } }), h)
  t.equal(randomSuffix(new Uint8Array([0, 1, 2, 3, 4])), 'bcdfg')
  t.equal(podName('x'.repeat(300), h, 'bcdfg').length, 253)
})

t.test('work queue: de-duplicates keys and retries a failing sync with backoff', async (t) => {
  const seen: string[] = []
  let fails = 2
  const errors: number[] = []
  const q = new WorkQueue(
    async (key) => {
      seen.push(key)
      if (key === 'flaky' && fails-- > 0) throw new Error('conflict')
    },
    (_k, _e, ms) => errors.push(ms),
    { baseDelayMs: 5, maxDelayMs: 20 },
  )
  q.add('a')
  q.add('a')
  q.add('flaky')
  await new Promise((r) => setTimeout(r, 100))
  t.same(seen, ['a', 'flaky', 'flaky', 'flaky'])
  t.same(errors, [5, 10])
  q.stop()
})
