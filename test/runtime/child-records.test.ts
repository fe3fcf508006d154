// The process runtime's records of its children, with real processes: what a killed agent left is
// killed (its whole process group, also when only the token was recorded), and a record whose pid now
// names another process kills nothing.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { silentLogger } from '../../src/runtime/driver.js'
import { ChildRecords, RUN_TOKEN_ENV } from '../../src/runtime/process/child-records.js'
import { processGroupMembers, startTimeOf } from '../../src/runtime/process/proc.js'

const alive = async (pid: number): Promise<boolean> => (await startTimeOf(pid)) !== undefined

async function setup (t: Test): Promise<{ dir: string, records: ChildRecords, leader: (token: string) => ChildProcess }> {
  const dir = await mkdtemp(join(tmpdir(), 'podmesh-records-'))
  const spawned: ChildProcess[] = []
  t.teardown(async () => {
    for (const c of spawned) try { process.kill(-c.pid!, 'SIGKILL') } catch { /* gone */ }
    await rm(dir, { recursive: true, force: true })
  })
  // A group leader with a grandchild in its group, as a shell running a pipeline would have.
  const leader = (token: string): ChildProcess => {
    const c = spawn('sh', ['-c', 'sleep 1000 & sleep 1000'], { detached: true, stdio: 'ignore', env: { ...process.env, [RUN_TOKEN_ENV]: token } })
    spawned.push(c)
    return c
  }
  return { dir, records: new ChildRecords(dir, silentLogger), leader }
}

t.test('a recorded child and everything in its group are killed; the records are gone', async t => {
  const { dir, records, leader } = await setup(t)
  await records.intend('a1')
  const c = leader('a1')
  await records.started('a1', c.pid!)
  await t.resolves(waitFor(async () => (await processGroupMembers(c.pid!)).length >= 2), 'leader and its grandchild run')
  t.equal(await records.killLeftovers(), 1)
  t.same(await processGroupMembers(c.pid!), [], 'the whole group is dead')
  t.same(await readdir(dir), [])
})

t.test('a child recorded by its token only (the agent died before noting the pid) is found and killed', async t => {
  const { records, leader } = await setup(t)
  await records.intend('b2')
  const c = leader('b2')
  await t.resolves(waitFor(async () => (await processGroupMembers(c.pid!)).length >= 2))
  t.equal(await records.killLeftovers(), 1)
  t.notOk(await alive(c.pid!))
})

t.test('a record whose pid now names another process (pid reuse) kills nothing', async t => {
  const { dir, records, leader } = await setup(t)
  const c = leader('c3')
  await waitFor(() => alive(c.pid!))
  const start = (await startTimeOf(c.pid!))!
  await writeFile(join(dir, 'c3.json'), JSON.stringify({ token: 'c3', pid: c.pid, start: start - 1 }))
  t.equal(await records.killLeftovers(), 0)
  t.ok(await alive(c.pid!), 'the other process runs on')
  t.same(await readdir(dir), [], 'the stale record is dropped')
})

async function waitFor (check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  throw new Error('condition not reached in 2 s')
}
