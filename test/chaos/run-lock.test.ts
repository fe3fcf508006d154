import t, { type Test } from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RunLock } from '../../src/chaos/run-lock.js'

async function lockPath(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'podmesh-lock-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return join(dir, 'chaos.lock')
}

t.test('a second run waits while a live process holds the lock, and goes on when it is released', async (t) => {
  const path = await lockPath(t)
  const lines: string[] = []
  const first = await RunLock.acquire((l) => lines.push(l), undefined, path)
  t.equal(readFileSync(path, 'utf8').trim(), String(process.pid), 'the lock names its holder')
  // The holder is this (live) process: pretend another live process holds it by naming our parent.
  writeFileSync(path, `${process.ppid}\n`)
  let second: RunLock | undefined
  const waiting = RunLock.acquire((l) => lines.push(l), undefined, path).then((l) => (second = l))
  await new Promise((r) => setTimeout(r, 700))
  t.equal(second, undefined, 'still waiting while the holder lives')
  t.match(lines.join('\n'), new RegExp(`another chaos run \\(pid ${process.ppid}\\)`), 'says who it waits for')
  writeFileSync(path, `${process.pid}\n`)
  first.release()
  await waiting
  t.ok(second, 'acquired once released')
  second!.release()
  t.notOk(existsSync(path), 'released: the file is gone')
})

t.test("a dead holder's lock is taken over", async (t) => {
  const path = await lockPath(t)
  const child = spawn(process.execPath, ['-e', ''])
  const pid = await new Promise<number>((resolve) => child.on('exit', () => resolve(child.pid!)))
  writeFileSync(path, `${pid}\n`)
  const lock = await RunLock.acquire(() => undefined, undefined, path)
  t.equal(readFileSync(path, 'utf8').trim(), String(process.pid))
  lock.release()
})

t.test('waiting ends when the run is interrupted', async (t) => {
  const path = await lockPath(t)
  writeFileSync(path, `${process.ppid}\n`)
  const stop = new AbortController()
  setTimeout(() => stop.abort(), 300)
  await t.rejects(RunLock.acquire(() => undefined, stop.signal, path))
  t.equal(readFileSync(path, 'utf8').trim(), String(process.ppid), "the other run's lock is left alone")
})
