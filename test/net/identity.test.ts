import { chmod, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import { IDENTITY_FILE, loadOrCreateIdentity, nodeIdOf } from '../../src/net/identity.js'

async function tempDir (t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'podmesh-net-id-'))
  t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

t.test('created once with mode 0600, then reloaded with the same id', async t => {
  const dir = join(await tempDir(t), 'nested', 'data')
  const k1 = await loadOrCreateIdentity(dir)
  t.equal(k1.type, 'Ed25519')
  const st = await stat(join(dir, IDENTITY_FILE))
  t.equal(st.mode & 0o777, 0o600)
  const k2 = await loadOrCreateIdentity(dir)
  t.equal(nodeIdOf(k2), nodeIdOf(k1))
  t.same(await readdir(dir), [IDENTITY_FILE], 'no temp file left behind')
})

t.test('a world-readable file is refused, naming the file', async t => {
  const dir = await tempDir(t)
  await loadOrCreateIdentity(dir)
  const file = join(dir, IDENTITY_FILE)
  await chmod(file, 0o644)
  await t.rejects(loadOrCreateIdentity(dir), { name: 'IdentityFileError', file })
})

t.test('garbage content is refused, naming the file', async t => {
  const dir = await tempDir(t)
  const file = join(dir, IDENTITY_FILE)
  await writeFile(file, 'not a key', { mode: 0o600 })
  await t.rejects(loadOrCreateIdentity(dir), { name: 'IdentityFileError', file })
})

t.test('a directory in place of the file is refused', async t => {
  const dir = await tempDir(t)
  await loadOrCreateIdentity(join(dir, IDENTITY_FILE, 'x')).catch(() => {})
  await t.rejects(loadOrCreateIdentity(dir), { name: 'IdentityFileError' })
})
