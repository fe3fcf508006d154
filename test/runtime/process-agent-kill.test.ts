// kill -9 of an agent running a pod with the process runtime: its child outlives it (nothing of a
// killed agent runs), so the restarted agent must kill that leftover before it starts the pod again.
// Afterwards exactly one process of the container exists.
import t from 'tap'
import { applyJson, eventually, getJson, processesRunning, runtimeFleet } from './fleet-harness.js'

const argv = ['sleep', String(80_000 + Math.floor(Math.random() * 10_000))]

t.test('kill -9 of the agent, then a restart: one instance of the container process, not two', async t => {
  const { fleet, agents } = await runtimeFleet(1, 'process')
  const solo = agents[0]!
  t.teardown(async () => {
    await fleet.destroy()
    for (const pid of await processesRunning(argv)) process.kill(pid, 'SIGKILL')
  })
  t.teardown(() => void (t.passing() || console.error(fleet.logs())))

  await applyJson(solo, [{
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'sleeper' },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'podmesh-test/busybox:1', command: argv }] },
  }])
  const runningId = async (): Promise<string | undefined> => {
    const c = (await getJson(solo, '/v1/pods/sleeper'))?.status?.containerStatuses?.[0]
    return c?.state?.running !== undefined ? c.containerID as string : undefined
  }
  const first = await eventually('the pod runs', runningId, 60_000)
  t.same(await processesRunning(argv), [Number(first.replace('process://', ''))], 'one process, the one the status names')

  await solo.kill9()
  await solo.waitForExit()
  t.same(await processesRunning(argv), [Number(first.replace('process://', ''))], 'the child outlived its killed agent')

  solo.start()
  const second = await eventually('the pod runs again under the restarted agent', async () => {
    const id = await runningId()
    return id !== undefined && id !== first ? id : undefined
  }, 60_000)
  t.same(await processesRunning(argv), [Number(second.replace('process://', ''))], 'exactly one instance: the leftover was killed')
  t.match(solo.output, /killed a child process an earlier agent left running/, 'the agent logged what it killed')
})
