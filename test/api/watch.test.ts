// Watch over a real socket to an in-process server: history then live changes in order, filters, 410, bookmarks.
import tap from 'tap'
const t = tap
import { configMap, harness, type Harness } from './harness.js'
import { openWatch } from './watch-client.js'

async function started(h: Harness, t: { teardown(fn: () => unknown): void }): Promise<string> {
  const { port } = await h.server.start()
  t.teardown(() => h.server.stop())
  return `http://127.0.0.1:${port}`
}

t.test('a watch from N gets history after N, then live changes, in log order', async (t) => {
  const h = harness()
  const base = await started(h, t)
  await h.request('PUT', '/v1/configmaps/a', configMap('a', { v: '1' }))
  await h.request('PUT', '/v1/configmaps/b', configMap('b', { v: '1' }))
  await h.request('PUT', '/v1/secrets/s', { stringData: { k: 'v' } })
  const w = await openWatch(base, '/v1/watch?kind=configmaps&resourceVersion=1')
  t.teardown(() => w.close())
  t.equal(w.status, 200)
  await h.request('PUT', '/v1/configmaps/a', configMap('a', { v: '2' }))
  await h.request('DELETE', '/v1/configmaps/b')
  const seen = (await w.waitFor(3)).map((e) => `${e.type} ${e.object.metadata.name}@${e.object.metadata.resourceVersion}`)
  t.same(seen, ['ADDED b@2', 'MODIFIED a@4', 'DELETED b@5'], 'secrets are not in a configmaps watch; history from 1 excludes index 1')
  t.same(w.events[1]!.object.data, { v: '2' })
})

t.test('namespace and label selector filter the stream; secrets are redacted', async (t) => {
  const h = harness()
  const base = await started(h, t)
  const w = await openWatch(base, '/v1/watch?kind=configmaps&resourceVersion=0&namespace=prod&labelSelector=app%3Dweb')
  const s = await openWatch(base, '/v1/watch?kind=secrets&resourceVersion=0')
  t.teardown(() => (w.close(), s.close()))
  await h.request('PUT', '/v1/configmaps/x', configMap('x', {}, { labels: { app: 'web' } }))
  await h.request('PUT', '/v1/configmaps/y?namespace=prod', configMap('y', {}, { labels: { app: 'db' } }))
  await h.request('PUT', '/v1/configmaps/z?namespace=prod', configMap('z', {}, { labels: { app: 'web' } }))
  await h.request('PUT', '/v1/secrets/pw', { stringData: { password: 'plaintext' } })
  t.same((await w.waitFor(1)).map((e) => e.object.metadata.name), ['z'])
  const [e] = await s.waitFor(1)
  t.same(e!.object.data, { password: '<redacted>' })
})

t.test('410 Gone when N is older than the history kept', async (t) => {
  const h = harness({ historySize: 2 })
  const base = await started(h, t)
  for (const n of ['a', 'b', 'c', 'd']) await h.request('PUT', `/v1/configmaps/${n}`, configMap(n, {}))
  const old = await openWatch(base, '/v1/watch?kind=configmaps&resourceVersion=1')
  t.equal(old.status, 410)
  t.equal(JSON.parse(old.body).error, 'Gone')
  const recent = await openWatch(base, '/v1/watch?kind=configmaps&resourceVersion=2')
  t.teardown(() => recent.close())
  t.equal(recent.status, 200)
  t.same((await recent.waitFor(2)).map((e) => e.object.metadata.name), ['c', 'd'])
  const unknown = await openWatch(base, '/v1/watch?kind=gadgets')
  t.equal(unknown.status, 404)
})

t.test('idle streams get bookmarks; a snapshot install ends the stream with an ERROR line', async (t) => {
  const h = harness({ bookmarkMs: 50 })
  const base = await started(h, t)
  await h.request('PUT', '/v1/configmaps/a', configMap('a', {}))
  const w = await openWatch(base, '/v1/watch?kind=configmaps')
  const [b] = await w.waitFor(1)
  t.equal(b!.type, 'BOOKMARK')
  t.equal(b!.object.metadata.resourceVersion, '1')
  h.state.restore(h.state.snapshot(), 1)
  await w.ended
  t.equal(w.events.at(-1)!.type, 'ERROR')
})
