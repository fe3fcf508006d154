// Secrets: sealed before proposing (the log holds ciphertext only), redacted unless ?reveal=true.
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { SecretBox } from '../../src/state/secret-box.js'
import { harness } from './harness.js'

const PLAIN = 'hunter2-correct-horse'
const b64 = (s: string) => Buffer.from(s).toString('base64')
const secretYaml = (value: string) => `apiVersion: v1
kind: Secret
metadata: { name: db }
type: Opaque
stringData: { password: ${value} }
data: { user: ${b64('admin')} }
`
const yaml = { 'content-type': 'application/yaml' }

t.test('the log and the stored state hold no plaintext; get redacts; reveal decrypts', async (t) => {
  const h = harness()
  const r = await h.request('POST', '/v1/apply', secretYaml(PLAIN), yaml)
  t.equal(r.status, 200)
  const everything = Buffer.concat([...h.log, Buffer.from(h.state.snapshot())])
  for (const needle of [PLAIN, b64(PLAIN), 'admin', b64('admin')]) t.equal(everything.indexOf(needle), -1, `"${needle}" is not in the log or the snapshot`)
  const got = (await h.request('GET', '/v1/secrets/db')).json<{ data: Record<string, string>; type: string }>()
  t.same(got.data, { password: '<redacted>', user: '<redacted>' })
  t.equal(got.type, 'Opaque')
  const shown = (await h.request('GET', '/v1/secrets/db?reveal=true')).json<{ data: Record<string, string> }>()
  t.same(shown.data, { password: b64(PLAIN), user: b64('admin') }, 'stringData is folded into data, base64 like the rest')
  const listed = (await h.request('GET', '/v1/secrets')).json<{ items: { data: Record<string, string> }[] }>()
  t.same(listed.items[0]!.data, { password: '<redacted>', user: '<redacted>' })
  t.notOk(JSON.stringify(listed).includes(b64(PLAIN)))
})

t.test('the same secret applied again is unchanged (a fresh IV does not count as a change); a new value bumps generation', async (t) => {
  const h = harness()
  await h.request('POST', '/v1/apply', secretYaml(PLAIN), yaml)
  const same = await h.request('POST', '/v1/apply', secretYaml(PLAIN), yaml)
  t.equal(same.json<{ results: { action: string }[] }>().results[0]!.action, 'unchanged')
  const changed = await h.request('POST', '/v1/apply', secretYaml('other'), yaml)
  t.equal(changed.json<{ results: { action: string }[] }>().results[0]!.action, 'configured')
  t.equal((await h.request('GET', '/v1/secrets/db')).json<{ metadata: { generation: number } }>().metadata.generation, 2)
})

t.test('SecretBox: the object key is bound in; tampering or another key fails', async (t) => {
  const secret = randomBytes(32)
  const box = SecretBox.fromJoinSecret(secret)
  const key = { kind: 'Secret', namespace: 'default', name: 'a' }
  const sealed = box.seal(key, { k: 'v' })
  t.same(SecretBox.fromJoinSecret(secret).open(key, sealed), { k: 'v' }, 'any member (same token) opens it')
  t.throws(() => box.open({ ...key, name: 'b' }, sealed), { name: 'SecretDecryptError' }, 'moved to another object')
  const ct = Buffer.from(sealed.ct, 'base64')
  ct[0] = ct[0]! ^ 1
  t.throws(() => box.open(key, { ...sealed, ct: ct.toString('base64') }), { name: 'SecretDecryptError' }, 'tampered')
  t.throws(() => SecretBox.fromJoinSecret(randomBytes(32)).open(key, sealed), { name: 'SecretDecryptError' }, 'another cluster key')
  t.not(box.seal(key, { k: 'v' }).iv, sealed.iv, 'a fresh IV each time')
  t.equal(box.seal(key, { k: 'v' }).mac, sealed.mac, 'the same mac for the same data')
})
