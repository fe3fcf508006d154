// `agent logs` on three real agents: a and b run pods as processes, c runs none. The pods are pinned to
// b and read through a, so every read is relayed over the mesh; one read goes through b itself.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { applyJson, eventually, follow, formFleet, get, pinnedPod, running } from './harness.js'

const node = process.execPath
const COUNTER = `
const fs = require('fs')
for (let i = 1; i <= 5; i++) console.log('line ' + i)
const t = setInterval(() => {
  if (!fs.existsSync(process.env.TRIGGER)) return
  console.log('late line')
  clearInterval(t)
  setInterval(() => {}, 1 << 30)
}, 100)`
const say = (word: string) => [node, '-e', `console.log(${JSON.stringify(word)}); setInterval(() => {}, 1 << 30)`]

t.test('agent logs from a node that does not run the pod', async (t) => {
  const { fleet, agents } = await formFleet([
    { name: 'a', runtime: 'process' },
    { name: 'b', runtime: 'process' },
    { name: 'c', runtime: 'none' },
  ])
  const [a, b] = agents as [(typeof agents)[0], (typeof agents)[0]]
  const dir = await mkdtemp(join(tmpdir(), 'podmesh-logs-trigger-'))
  t.teardown(async () => {
    await fleet.destroy()
    await rm(dir, { recursive: true, force: true })
  })
  t.teardown(() => void (t.passing() || console.error(fleet.logs())))
  const trigger = join(dir, 'go')

  await applyJson(a, [
    pinnedPod('counter', 'b', { main: [node, '-e', COUNTER] }, { TRIGGER: trigger }),
    pinnedPod('pair', 'b', { one: say('from one'), two: say('from two') }),
    pinnedPod('idle', 'c', { main: say('never') }),
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nowhere' }, spec: { nodeSelector: { disk: 'none' }, containers: [{ name: 'main', image: 'busybox', command: say('never') }] } },
  ])
  await eventually('counter and pair run on b', async () => (await running(a, 'counter')) && (await running(a, 'pair')), 60_000)
  await eventually('counter printed its five lines', async () => (await a.cli(['logs', 'counter'])).stdout.includes('line 5'))

  t.test('the whole output, relayed from b through a, and read on b itself', async (t) => {
    const lines = 'line 1\nline 2\nline 3\nline 4\nline 5\n'
    const relayed = await a.cli(['logs', 'counter'])
    t.equal(relayed.code, 0, relayed.stderr)
    t.equal(relayed.stdout, lines)
    const local = await b.cli(['logs', 'pod/counter'])
    t.equal(local.stdout, lines)
  })

  t.test('--tail N gives exactly the last N lines', async (t) => {
    t.equal((await a.cli(['logs', 'counter', '--tail', '3'])).stdout, 'line 3\nline 4\nline 5\n')
    t.equal((await a.cli(['logs', 'counter', '--tail', '0'])).stdout, '')
    const api = await get(a, '/v1/pods/counter/log?tailLines=1')
    t.equal(api.status, 200)
    t.equal(api.text, 'line 5\n')
  })

  t.test('-f prints what the container prints after it started, until Ctrl-C', async (t) => {
    const f = follow(['counter', '-f', '--server', a.server])
    await eventually('the lines so far', async () => f.out().includes('line 5'))
    await writeFile(trigger, '')
    await eventually('the line printed after -f started', async () => f.out().includes('late line'), 20_000)
    t.equal(await f.interrupt(), 0, 'Ctrl-C ends it cleanly')
    t.equal(f.out(), 'line 1\nline 2\nline 3\nline 4\nline 5\nlate line\n', 'each line once, in order')
  })

  t.test('-c picks the container of a two-container pod', async (t) => {
    t.equal((await a.cli(['logs', 'pair', '-c', 'two'])).stdout, 'from two\n')
    t.equal((await a.cli(['logs', 'pair', '-c', 'one'])).stdout, 'from one\n')
  })

  t.test('refusals: status, code and a message saying what to do', async (t) => {
    const cases: [string, number, string, RegExp][] = [
      ['/v1/pods/nope/log', 404, 'NotFound', /pod "nope" not found in namespace "default"/],
      ['/v1/pods/pair/log', 400, 'BadRequest', /pod "pair" has 2 containers \(one, two\): choose one with -c/],
      ['/v1/pods/pair/log?container=three', 400, 'BadRequest', /container "three" is not in pod "pair"; its containers: one, two/],
      ['/v1/pods/nowhere/log', 400, 'BadRequest', /pod "nowhere" is not scheduled yet \(phase Pending.*\); retry when it runs/],
      ['/v1/pods/counter/log?previous=true', 400, 'BadRequest', /container "main" of pod "counter" has no previous run/],
      ['/v1/pods/counter/log?tailLines=-1', 400, 'BadRequest', /tailLines must be a whole number/],
      ['/v1/pods/idle/log', 503, 'NodeUnavailable', /node "c" runs no pods/],
    ]
    for (const [path, status, code, message] of cases) {
      const r = await get(a, path)
      t.equal(r.status, status, path)
      t.equal(r.body.error, code, path)
      t.match(r.body.message, message, path)
    }
    t.same((await get(a, '/v1/pods/pair/log')).body.details, { containers: ['one', 'two'] })
    const cli = await a.cli(['logs', 'pair'])
    t.equal(cli.code, 1)
    t.match(cli.stderr, /agent: pod "pair" has 2 containers/)
    const usage = await a.cli(['logs', 'counter', '--tail', 'x'])
    t.equal(usage.code, 2)
    t.match(usage.stderr, /--tail takes a number of lines/)
  })

  t.test("the pod's node down: 503 naming it", async (t) => {
    b.kill9()
    const r = await eventually('a 503', async () => {
      const x = await get(a, '/v1/pods/counter/log')
      return x.status === 503 ? x : undefined
    })
    t.equal(r.body.error, 'NodeUnavailable')
    t.match(r.body.message, /node "b", which runs pod "counter", cannot be reached/)
  })
})
