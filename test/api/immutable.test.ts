// Immutable ConfigMaps and Secrets: once immutable is true, only metadata may change (422 naming the field).
import t from 'tap'
import { harness } from './harness.js'

const yaml = { 'content-type': 'application/yaml' }
const b64 = (s: string) => Buffer.from(s).toString('base64')
type Refusal = { error: string; message: string; details: { issues: { path: string; reason: string }[] } }

const cm = (fields: string) => `apiVersion: v1
kind: ConfigMap
metadata: { name: cfg, labels: { v: "1" } }
${fields}
`
const secret = (fields: string) => `apiVersion: v1
kind: Secret
metadata: { name: db }
${fields}
`
const action = (r: { json: <T>() => T }) => r.json<{ results: { action: string }[] }>().results[0]!.action

t.test('an immutable ConfigMap refuses a change of data, binaryData or the flag; metadata may change', async (t) => {
  const h = harness()
  t.equal(action(await h.request('POST', '/v1/apply', cm('immutable: true\ndata: { a: "1" }'), yaml)), 'created')
  t.equal(action(await h.request('POST', '/v1/apply', cm('immutable: true\ndata: { a: "1" }'), yaml)), 'unchanged')
  for (const [fields, path] of [['immutable: true\ndata: { a: "2" }', 'data'], ['immutable: true\ndata: { a: "1" }\nbinaryData: { b: AA== }', 'binaryData'], ['data: { a: "1" }', 'immutable']] as const) {
    const r = await h.request('POST', '/v1/apply', cm(fields), yaml)
    t.equal(r.status, 422, path)
    const body = r.json<Refusal>()
    t.equal(body.error, 'Invalid')
    t.same(body.details.issues.map((i) => `${i.path}: ${i.reason}`), [`${path}: field is immutable when immutable is set`])
  }
  const got = (await h.request('GET', '/v1/configmaps/cfg')).json<{ data: Record<string, string>; immutable: boolean }>()
  t.same(got.data, { a: '1' }, 'nothing changed')
  t.equal(got.immutable, true)
  const relabeled = await h.request('POST', '/v1/apply', cm('immutable: true\ndata: { a: "1" }').replace('v: "1"', 'v: "2"'), yaml)
  t.equal(action(relabeled), 'configured', 'labels may change')
  t.equal((await h.request('DELETE', '/v1/configmaps/cfg')).status, 200, 'and it may be deleted')
})

t.test('a mutable ConfigMap may be made immutable', async (t) => {
  const h = harness()
  await h.request('POST', '/v1/apply', cm('data: { a: "1" }'), yaml)
  t.equal(action(await h.request('POST', '/v1/apply', cm('immutable: true\ndata: { a: "2" }'), yaml)), 'configured')
})

t.test('an immutable Secret refuses new data (compared sealed) and a new type', async (t) => {
  const h = harness()
  await h.request('POST', '/v1/apply', secret(`immutable: true\ndata: { p: ${b64('x')} }`), yaml)
  t.equal(action(await h.request('POST', '/v1/apply', secret(`immutable: true\nstringData: { p: x }`), yaml)), 'unchanged', 'the same data sealed again')
  for (const [fields, path] of [[`immutable: true\nstringData: { p: y }`, 'data'], [`immutable: true\ntype: other\ndata: { p: ${b64('x')} }`, 'type'], [`data: { p: ${b64('x')} }`, 'immutable']] as const) {
    const r = await h.request('POST', '/v1/apply', secret(fields), yaml)
    t.equal(r.status, 422, path)
    t.same(r.json<Refusal>().details.issues.map((i) => i.path), [path])
  }
  const shown = (await h.request('GET', '/v1/secrets/db?reveal=true')).json<{ data: Record<string, string> }>()
  t.same(shown.data, { p: b64('x') })
})
