// The API's rendered-JSON cache keeps one text per stored object, only for the version stored now: old
// versions (which the watch history may still hold) and deleted objects do not keep their text.
import { randomBytes } from 'node:crypto'
import t from 'tap'
import { RenderedObjects } from '../../src/agent/api/rendered-objects.js'
import { SecretBox } from '../../src/state/secret-box.js'
import { ObjectStore, type StoredObject } from '../../src/state/store.js'

let index = 0
function put(store: ObjectStore, name: string, value: string): StoredObject {
  index++
  store.apply({ type: 'write', time: '2026-12-02T00:00:00Z', ops: [{ op: 'put', kind: 'ConfigMap', namespace: 'default', name, uid: `u-${name}`, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { value } } }] }, index)
  return store.get({ kind: 'ConfigMap', namespace: 'default', name })!
}
function remove(store: ObjectStore, name: string): void {
  store.apply({ type: 'write', time: '', ops: [{ op: 'delete', kind: 'ConfigMap', namespace: 'default', name }] }, ++index)
}

t.test('the stored version is rendered once and kept; a replaced version is rendered but not kept', async (t) => {
  const store = new ObjectStore()
  const r = new RenderedObjects(store, SecretBox.fromJoinSecret(randomBytes(32)))
  const v1 = put(store, 'a', 'one')
  const text = r.json(v1, 'v1')
  t.match(JSON.parse(text), { kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: String(v1.resourceVersion) }, data: { value: 'one' } })
  t.equal(r.json(v1, 'v1'), text)
  t.equal(r.size, 1)
  const v2 = put(store, 'a', 'two')
  t.match(JSON.parse(r.json(v1, 'v1')), { data: { value: 'one' } }, 'an old version still renders as it was')
  t.match(JSON.parse(r.json(v2, 'v1')), { data: { value: 'two' } })
  t.equal(r.size, 1, 'one text per key: the old version’s is gone')
})

t.test('texts of deleted objects are swept once they outnumber the stored objects', async (t) => {
  const store = new ObjectStore()
  const r = new RenderedObjects(store, SecretBox.fromJoinSecret(randomBytes(32)))
  for (let i = 0; i < 200; i++) {
    r.json(put(store, `p${i}`, 'x'), 'v1')
    remove(store, `p${i}`)
  }
  t.equal(store.size, 0)
  t.ok(r.size <= 2 * store.size + 65, `at most 2 × objects + 64 texts kept (${r.size})`)
})
