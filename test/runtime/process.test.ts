// The process runtime for real: child processes with their env and workingDir, probes, restarts.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { freePort } from '../../src/fleet/local-fleet.js'
import { createProcessRuntime } from '../../src/runtime/process/index.js'
import type { SupervisedRuntime } from '../../src/runtime/supervised-runtime.js'
import type { ContainerStatus } from '../../src/runtime/types.js'
import { container, eventually, pod, probe, statusOf, uniqueId } from './fixtures.js'

async function runtime (t: Test): Promise<{ rt: SupervisedRuntime, dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'podmesh-proc-test-'))
  const rt = createProcessRuntime({ nodeId: uniqueId('node'), stateDir: dir })
  t.teardown(async () => { await rt.reconcile([]).catch(() => {}); await rt.settled(); await rt.close(); await rm(dir, { recursive: true, force: true }) })
  return { rt, dir }
}

const node = process.execPath
const main = (rt: SupervisedRuntime, uid: string): ContainerStatus | undefined => statusOf(rt, uid)?.containerStatuses[0]
const running = (c: ContainerStatus | undefined): boolean => c !== undefined && 'running' in c.state

async function logText (rt: SupervisedRuntime, uid: string): Promise<string> {
  const parts: Uint8Array[] = []
  for await (const chunk of rt.logs(uid, {})) parts.push(chunk)
  return Buffer.concat(parts).toString()
}

t.test('a container runs as a child process with its env, args and workingDir; logs hold its output', async t => {
  const { rt } = await runtime(t)
  const work = await mkdtemp(join(tmpdir(), 'podmesh-proc-wd-'))
  t.teardown(() => rm(work, { recursive: true, force: true }))
  const p = pod([container('main', {
    command: [node, '-e'],
    args: ['console.log(process.env.GREETING + " " + process.cwd()); setInterval(() => {}, 1000)'],
    workingDir: work,
  })], {}, { main: { GREETING: 'hello' } })
  await rt.reconcile([p])
  await eventually('running', () => running(main(rt, p.uid)))
  const text = await eventually('output', async () => { const s = await logText(rt, p.uid); return s.includes('hello') ? s : undefined })
  t.equal(text.trim(), `hello ${work}`)
  t.match(main(rt, p.uid)!.containerID, /^process:\/\/\d+$/)
})

t.test('a killed process is restarted at once; the restart is counted', async t => {
  const { rt } = await runtime(t)
  const p = pod([container('main', { command: [node, '-e', 'setInterval(() => {}, 1000)'] })])
  await rt.reconcile([p])
  const id = await eventually('running', () => running(main(rt, p.uid)) ? main(rt, p.uid)!.containerID : undefined)
  process.kill(Number(id!.replace('process://', '')), 'SIGKILL')
  const c = await eventually('restarted', () => { const c = main(rt, p.uid); return running(c) && c!.containerID !== id ? c : undefined })
  t.equal(c.restartCount, 1)
  t.match(c.lastState, { terminated: { exitCode: 137, reason: 'Error' } })
})

t.test('httpGet readiness against 127.0.0.1 sets Ready; a failing tcpSocket liveness probe restarts', async t => {
  const { rt } = await runtime(t)
  const port = await freePort()
  const web = pod([container('web', {
    command: [node, '-e', `require('http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`],
    readinessProbe: probe({ httpGet: { path: '/', port: 'http', scheme: 'HTTP' } }, { periodSeconds: 1 }),
    ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
  })])
  const dead = pod([container('dead', {
    command: [node, '-e', 'setInterval(() => {}, 1000)'],
    livenessProbe: probe({ tcpSocket: { port: port + 1 } }, { periodSeconds: 1, failureThreshold: 1 }),
  })], { terminationGracePeriodSeconds: 1 })
  await rt.reconcile([web, dead])
  await eventually('web Ready', () => statusOf(rt, web.uid)?.conditions.find(c => c.type === 'Ready')?.status === 'True', { seen: () => statusOf(rt, web.uid) })
  const c = await eventually('dead restarted', () => { const c = main(rt, dead.uid); return c !== undefined && c.restartCount >= 1 ? c : undefined }, { seen: () => statusOf(rt, dead.uid) })
  t.match(JSON.stringify(c.lastState), /liveness probe/)
})

t.test('exec probes run as child processes; restartPolicy Never ends Failed with the exit code', async t => {
  const { rt } = await runtime(t)
  const ok = pod([container('main', {
    command: [node, '-e', 'setInterval(() => {}, 1000)'],
    readinessProbe: probe({ exec: { command: [node, '-e', 'process.exit(process.env.READY === "yes" ? 0 : 1)'] } }, { periodSeconds: 1 }),
  })], {}, { main: { READY: 'yes' } })
  const failing = pod([container('main', { command: [node, '-e', 'process.exit(3)'] })], { restartPolicy: 'Never' })
  await rt.reconcile([ok, failing])
  await eventually('ready through exec with the container env', () => main(rt, ok.uid)?.ready === true)
  const s = await eventually('Failed', () => statusOf(rt, failing.uid)?.phase === 'Failed' ? statusOf(rt, failing.uid) : undefined)
  t.match(s!.containerStatuses[0]!.state, { terminated: { exitCode: 3 } })
  t.equal(s!.containerStatuses[0]!.restartCount, 0)
})

t.test('no command: CreateContainerConfigError; removal stops the processes', async t => {
  const { rt } = await runtime(t)
  const bad = pod([container('main')])
  const good = pod([container('main', { command: [node, '-e', 'setInterval(() => {}, 1000)'] })])
  await rt.reconcile([bad, good])
  await eventually('config error', () => { const c = main(rt, bad.uid); return c !== undefined && 'waiting' in c.state && c.state.waiting.reason === 'CreateContainerConfigError' })
  const id = await eventually('running', () => running(main(rt, good.uid)) ? main(rt, good.uid)!.containerID : undefined)
  const pid = Number(id!.replace('process://', ''))
  await rt.reconcile([])
  await rt.settled()
  t.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the process is gone')
  t.same(rt.statuses(), [])
})
