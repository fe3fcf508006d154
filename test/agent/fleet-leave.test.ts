// `agent leave` of a node that runs pods, with real agents running them as processes: the node is drained
// (its deployment's pods move to the other nodes before it goes), a bare pod pinned to it is deleted
// with it, its Node is deleted, no process of it remains, and the agent stops. The node that leaves is
// the leader, so leadership is handed over first. A node alone in its cluster just removes its pods.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import type { AgentProcess } from '../../src/fleet/local-fleet.js'
import { applyJson, eventually, getJson, isTrue, podsOf, processesRunning, runtimeFleet, type Json } from '../runtime/fleet-harness.js'

const tag = String(70_000 + Math.floor(Math.random() * 10_000))
const replicaArgv = ['sleep', tag]
const bareArgv = ['sleep', String(Number(tag) + 1)]
const REPLICAS = 4

function deployment (): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'sleepers' },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: { app: 'sleepers' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: 'sleepers' } },
        spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'podmesh-test/busybox:1', command: replicaArgv }] },
      },
    },
  }
}

function barePod (node: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'solo', labels: { app: 'solo' } },
    spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'podmesh-test/busybox:1', command: bareArgv }] },
  }
}

const runningReady = (p: Json) => p.status?.phase === 'Running' && isTrue(p, 'Ready') && p.metadata?.deletionTimestamp === undefined

/** Records of the children a process runtime runs (src/runtime/process/child-records.ts). */
async function childRecords (a: AgentProcess): Promise<string[]> {
  return readdir(join(a.dataDir, 'process-runtime', '.children')).catch(() => [])
}

t.test('agent leave of the leader running pods: drained, its pods gone, its replicas elsewhere', async t => {
  const { fleet, agents } = await runtimeFleet(3, 'process')
  t.teardown(async () => {
    await fleet.destroy()
    for (const pid of [...await processesRunning(replicaArgv), ...await processesRunning(bareArgv)]) process.kill(pid, 'SIGKILL')
  })
  t.teardown(() => void (t.passing() || console.error(fleet.logs())))
  const [m1, m2] = agents as [AgentProcess, AgentProcess]

  await applyJson(m1, [deployment(), barePod('m1')])
  await eventually('every replica and the bare pod run, some on m1', async () => {
    const pods = await podsOf(m1, 'app in (sleepers, solo)')
    return pods?.length === REPLICAS + 1 && pods.every(runningReady) && pods.filter(p => p.spec.nodeName === 'm1').length >= 2
  }, 60_000, 200)

  const left = await m1.cli(['leave', '--timeout', '60'])
  t.equal(left.code, 0, left.stderr)
  t.match(left.stdout, /node\/m1 cordoned\n/)
  t.match(left.stdout, /evicting pod\/default\/sleepers-/, 'the drain moved the replicas')
  t.match(left.stdout, /pod\/default\/solo has no controller: it is deleted with the node\n/)
  t.match(left.stdout, /node\/m1 drained\n/)
  t.match(left.stdout, /pod\/default\/solo deleted\n/)
  t.match(left.stdout, /m1 left the cluster/)
  t.equal(await m1.waitForExit(), 0, 'the agent stopped')

  t.same(await childRecords(m1), [], 'no child of m1 is recorded as running')
  t.same(await processesRunning(bareArgv), [], 'the bare pod\'s process is gone')
  const nodes = await getJson(m2, '/v1/nodes')
  t.same((nodes?.items as Json[]).map(n => n.metadata.name).sort(), ['m2', 'm3'], 'the Node of m1 is deleted')
  const pods = await eventually('the replicas run on m2 and m3', async () => {
    const items = await podsOf(m2, 'app in (sleepers, solo)')
    return items?.length === REPLICAS && items.every(runningReady) ? items : undefined
  }, 30_000, 200)
  t.ok(pods.every(p => p.spec.nodeName !== 'm1' && p.metadata.labels.app === 'sleepers'), 'no pod is bound to m1; the bare pod went with it')
  const pids = pods.map(p => Number(String(p.status.containerStatuses[0].containerID).replace('process://', ''))).sort()
  t.same((await processesRunning(replicaArgv)).sort(), pids, 'exactly the replicas\' processes run: none left over from m1')
  const members = (await m2.status())?.members.map(m => m.name).sort()
  t.same(members, ['m2', 'm3'], 'm1 is no longer a member')
})

t.test('agent leave of the only member removes its pods and stops the agent', async t => {
  const { fleet, agents } = await runtimeFleet(1, 'process')
  t.teardown(async () => {
    await fleet.destroy()
    for (const pid of await processesRunning(replicaArgv)) process.kill(pid, 'SIGKILL')
  })
  t.teardown(() => void (t.passing() || console.error(fleet.logs())))
  const solo = agents[0]!
  await applyJson(solo, [deployment()])
  await eventually('the replicas run', async () => (await podsOf(solo, 'app=sleepers'))?.filter(runningReady).length === REPLICAS, 60_000, 200)

  const left = await solo.cli(['leave'])
  t.equal(left.code, 0, left.stderr)
  t.match(left.stdout, /m1 is the only member: its pods have nowhere to go and are removed\n/)
  t.match(left.stdout, /pod\/default\/sleepers-\S+ deleted\n/)
  t.equal(await solo.waitForExit(), 0, 'the agent stopped')
  t.same(await childRecords(solo), [], 'no child is recorded as running')
  t.same(await processesRunning(replicaArgv), [], 'no replica process is left')
})
