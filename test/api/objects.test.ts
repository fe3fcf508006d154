// GET, PUT, DELETE and list, in-process (no agent): status codes, compare-and-set, generation, selectors.
import t from 'tap'
import { configMap, harness } from './harness.js'

type Obj = { metadata: { name: string; namespace: string; resourceVersion: string; generation: number; uid: string; creationTimestamp: string; labels?: Record<string, string> }; data?: Record<string, string> }

t.test('PUT creates (201) then configures (200); GET serves the full metadata', async (t) => {
  const h = harness()
  const created = await h.request('PUT', '/v1/configmaps/cfg', { data: { a: '1' } })
  t.equal(created.status, 201)
  const o = created.json<Obj & { apiVersion: string; kind: string }>()
  t.equal(o.apiVersion, 'v1')
  t.equal(o.kind, 'ConfigMap')
  t.same(o.metadata, { name: 'cfg', namespace: 'default', uid: 'uid-1', resourceVersion: '1', generation: 1, creationTimestamp: '2026-01-01T00:00:00.000Z' })
  const again = await h.request('PUT', '/v1/configmaps/cfg', { data: { a: '2' } })
  t.equal(again.status, 200)
  t.equal(again.json<Obj>().metadata.resourceVersion, '2')
  t.equal(again.json<Obj>().metadata.generation, 2, 'data changed: generation bumps')
  t.equal(again.json<Obj>().metadata.uid, 'uid-1', 'the uid stays')
  const got = await h.request('GET', '/v1/configmaps/cfg')
  t.equal(got.status, 200)
  t.same(got.json<Obj>().data, { a: '2' })
  t.equal(h.counts.barriers, 1, 'a GET waits for the read barrier')
  await h.request('GET', '/v1/configmaps/cfg?stale=true')
  t.equal(h.counts.barriers, 1, '?stale=true skips it')
})

t.test('generation counts spec/data changes only; an identical PUT is unchanged and keeps the resourceVersion', async (t) => {
  const h = harness()
  await h.request('PUT', '/v1/configmaps/cfg', configMap('cfg', { a: '1' }))
  const relabeled = await h.request('PUT', '/v1/configmaps/cfg', configMap('cfg', { a: '1' }, { labels: { tier: 'x' } }))
  t.equal(relabeled.json<Obj>().metadata.generation, 1)
  t.equal(relabeled.json<Obj>().metadata.resourceVersion, '2')
  const same = await h.request('PUT', '/v1/configmaps/cfg', { metadata: { labels: { tier: 'x' } }, data: { a: '1' } })
  t.equal(same.status, 200)
  t.equal(same.json<Obj>().metadata.resourceVersion, '2', 'unchanged: no new version')
})

t.test('PUT with metadata.resourceVersion is a compare-and-set: 409 with the current version', async (t) => {
  const h = harness()
  await h.request('PUT', '/v1/configmaps/cfg', { data: { a: '1' } })
  const ok = await h.request('PUT', '/v1/configmaps/cfg', { metadata: { resourceVersion: '1' }, data: { a: '2' } })
  t.equal(ok.status, 200)
  const stale = await h.request('PUT', '/v1/configmaps/cfg', { metadata: { resourceVersion: '1' }, data: { a: '3' } })
  t.equal(stale.status, 409)
  t.equal(stale.json<{ error: string }>().error, 'Conflict')
  t.same(stale.json<{ details: unknown }>().details, { currentResourceVersion: '2' })
  t.same((await h.request('GET', '/v1/configmaps/cfg')).json<Obj>().data, { a: '2' }, 'nothing changed')
  const absent = await h.request('PUT', '/v1/configmaps/other', { metadata: { resourceVersion: '5' }, data: {} })
  t.equal(absent.status, 409, 'a version for an absent object conflicts')
  const createOnly = await h.request('PUT', '/v1/configmaps/fresh', { metadata: { resourceVersion: '0' }, data: {} })
  t.equal(createOnly.status, 201, 'resourceVersion "0": create only if absent')
  const again = await h.request('PUT', '/v1/configmaps/fresh', { metadata: { resourceVersion: '0' }, data: { x: 'y' } })
  t.equal(again.status, 409, 'and a conflict once it exists')
  const bad = await h.request('PUT', '/v1/configmaps/cfg', { metadata: { resourceVersion: 'abc' }, data: {} })
  t.equal(bad.status, 422, 'a resourceVersion that is not a number is an invalid document')
})

t.test('DELETE: deleted, 404 when absent, 409 on a stale precondition', async (t) => {
  const h = harness()
  await h.request('PUT', '/v1/configmaps/cfg', { data: { a: '1' } })
  t.equal((await h.request('DELETE', '/v1/configmaps/cfg?resourceVersion=7')).status, 409)
  const del = await h.request('DELETE', '/v1/configmaps/cfg?resourceVersion=1')
  t.equal(del.status, 200)
  t.same(del.json(), { status: 'deleted', kind: 'ConfigMap', namespace: 'default', name: 'cfg' })
  const again = await h.request('DELETE', '/v1/configmaps/cfg')
  t.equal(again.status, 404)
  t.equal(again.json<{ error: string }>().error, 'NotFound')
  t.equal((await h.request('GET', '/v1/configmaps/cfg')).status, 404)
})

t.test('list: all namespaces or one, label selectors, resourceVersion of the list', async (t) => {
  const h = harness()
  await h.request('PUT', '/v1/configmaps/a', configMap('a', {}, { labels: { app: 'web', tier: 'front' } }))
  await h.request('PUT', '/v1/configmaps/b?namespace=prod', configMap('b', {}, { labels: { app: 'web' } }))
  await h.request('PUT', '/v1/configmaps/c', configMap('c', {}, { labels: { app: 'db' } }))
  const names = async (q: string) => (await h.request('GET', `/v1/configmaps${q}`)).json<{ items: Obj[] }>().items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)
  t.same(await names(''), ['default/a', 'default/c', 'prod/b'])
  t.same(await names('?namespace=prod'), ['prod/b'])
  t.same(await names('?labelSelector=app%3Dweb'), ['default/a', 'prod/b'])
  t.same(await names('?labelSelector=' + encodeURIComponent('app in (web,db),!tier')), ['default/c', 'prod/b'])
  t.same(await names('?labelSelector=' + encodeURIComponent('app!=web')), ['default/c'])
  t.same(await names('?labelSelector=tier'), ['default/a'])
  const list = (await h.request('GET', '/v1/configmaps')).json<{ kind: string; apiVersion: string; metadata: { resourceVersion: string } }>()
  t.equal(list.kind, 'ConfigMapList')
  t.equal(list.metadata.resourceVersion, '3')
  t.equal((await h.request('GET', '/v1/configmaps?labelSelector=' + encodeURIComponent('a in (b'))).status, 400)
})

t.test('cluster-scoped kinds have namespace "" whatever the query says', async (t) => {
  const h = harness()
  const r = await h.request('PUT', '/v1/nodes/n1?namespace=x', { metadata: { labels: { zone: 'a' } }, spec: {} })
  t.equal(r.status, 201)
  t.equal(r.json<Obj>().metadata.namespace, '')
  t.equal((await h.request('GET', '/v1/nodes/n1?namespace=default')).status, 200)
})

t.test('bad requests: unknown kind, method, body, name mismatch, invalid spec', async (t) => {
  const h = harness()
  const code = async (method: string, url: string, body?: unknown) => {
    const r = await h.request(method, url, body)
    return `${r.status} ${r.json<{ error: string }>().error}`
  }
  t.equal(await code('GET', '/v1/widgets'), '404 NotFound')
  t.equal(await code('POST', '/v1/configmaps'), '405 MethodNotAllowed')
  t.equal(await code('GET', '/nope'), '404 NotFound')
  t.equal(await code('GET', '/v1/apply'), '405 MethodNotAllowed', 'a fixed path is its route\'s, not a kind "apply"')
  t.equal(await code('PUT', '/v1/watch/x', {}), '404 NotFound')
  const watch = await h.request('GET', '/v1/watch')
  t.equal(watch.status, 400)
  t.match(watch.json<{ message: string }>().message, 'a watch needs ?kind=')
  t.equal(await code('PUT', '/v1/configmaps/x', '{not json'), '400 BadRequest')
  t.equal(await code('PUT', '/v1/configmaps/x', '[1]'), '400 BadRequest')
  t.equal(await code('PUT', '/v1/configmaps/x', { metadata: { name: 'y' } }), '400 BadRequest')
  t.equal(await code('PUT', '/v1/configmaps/x', { kind: 'Secret' }), '400 BadRequest')
  t.equal(await code('PUT', '/v1/configmaps/Bad_Name', {}), '422 Invalid')
  t.equal(await code('PUT', '/v1/pods/p', { spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 70000 }] }] } }), '422 Invalid')
  t.equal(h.counts.proposals, 0, 'nothing was proposed')
})

t.test('PUT and DELETE refuse a dry run and query preconditions they do not take, and a namespace that contradicts the URL', async (t) => {
  const h = harness()
  const put = await h.request('PUT', '/v1/configmaps/x?dryRun=All', { data: { a: '1' } })
  t.equal(put.status, 400)
  t.match(put.json<{ message: string }>().message, '?dryRun= is not taken here: a dry run is POST /v1/apply?dryRun=All')
  const putRv = await h.request('PUT', '/v1/configmaps/x?resourceVersion=1', { data: { a: '1' } })
  t.equal(putRv.status, 400)
  t.match(putRv.json<{ message: string }>().message, 'PUT takes its compare-and-set version in the body, as metadata.resourceVersion')
  const ns = await h.request('PUT', '/v1/configmaps/x?namespace=shop', { metadata: { name: 'x', namespace: 'other' }, data: {} })
  t.equal(ns.status, 400)
  t.match(ns.json<{ message: string }>().message, 'metadata.namespace "other" does not match the URL\'s namespace "shop"')
  t.equal(h.log.length, 0, 'nothing proposed')
  t.equal((await h.request('PUT', '/v1/configmaps/x?namespace=shop', { metadata: { name: 'x', namespace: 'shop' }, data: {} })).status, 201, 'the same namespace twice is fine')
  const del = await h.request('DELETE', '/v1/configmaps/x?namespace=shop&dryRun=All')
  t.equal(del.status, 400)
  t.not(h.state.store.get({ kind: 'ConfigMap', namespace: 'shop', name: 'x' }), undefined, 'still there')
})

t.test('DELETE of an object that is not there is 404, with or without ?resourceVersion=', async (t) => {
  const h = harness()
  await h.request('PUT', '/v1/configmaps/gone', { data: {} })
  t.equal((await h.request('DELETE', '/v1/configmaps/gone?resourceVersion=1')).status, 200)
  for (const q of ['', '?resourceVersion=1']) {
    const r = await h.request('DELETE', `/v1/configmaps/gone${q}`)
    t.equal(r.status, 404, `DELETE${q}`)
    t.equal(r.json<{ error: string }>().error, 'NotFound')
  }
})

t.test('a missing object: GET and DELETE say the same thing', async (t) => {
  const h = harness()
  const message = async (method: string) => (await h.request(method, '/v1/configmaps/nope?namespace=shop')).json<{ message: string }>().message
  t.equal(await message('GET'), 'configmaps "nope" not found in namespace "shop"')
  t.equal(await message('DELETE'), 'configmaps "nope" not found in namespace "shop"')
})
