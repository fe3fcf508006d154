// Watch over a real socket to an in-process server: history then live changes in order, filters, 410, bookmarks.
import { request, type IncomingMessage } from 'node:http'
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

t.test('with a label selector, an object that stops matching is DELETED and one that starts matching is ADDED', async (t) => {
  const h = harness()
  const base = await started(h, t)
  await h.request('PUT', '/v1/configmaps/a', configMap('a', {}, { labels: { app: 'web' } }))
  await h.request('PUT', '/v1/configmaps/b', configMap('b', {}, { labels: { app: 'db' } }))
  const w = await openWatch(base, '/v1/watch?kind=configmaps&labelSelector=app%3Dweb')
  t.teardown(() => w.close())
  await h.request('PUT', '/v1/configmaps/a', configMap('a', { v: '2' }, { labels: { app: 'web' } }))
  await h.request('PUT', '/v1/configmaps/a', configMap('a', {}, { labels: { app: 'api' } }))
  await h.request('PUT', '/v1/configmaps/a', configMap('a', { v: '3' }, { labels: { app: 'api' } }))
  await h.request('PUT', '/v1/configmaps/b', configMap('b', {}, { labels: { app: 'web' } }))
  await h.request('DELETE', '/v1/configmaps/b')
  await h.request('PUT', '/v1/configmaps/a', configMap('a', {}, { labels: { app: 'web' } }))
  const seen = (await w.waitFor(5)).map((e) => `${e.type} ${e.object.metadata.name}@${e.object.metadata.resourceVersion}`)
  t.same(seen, ['MODIFIED a@3', 'DELETED a@4', 'ADDED b@6', 'DELETED b@7', 'ADDED a@8'], 'a change to an object outside the selection (a@5) is not sent')
  t.same(w.events[1]!.object.metadata, { ...w.events[1]!.object.metadata, labels: { app: 'api' } }, 'the synthetic DELETED carries the object as it is now')
  await new Promise((r) => setTimeout(r, 100))
  t.equal(w.events.length, 5, 'nothing else')
})

t.test('replayed from a resourceVersion: objects unchanged since then count as listed; a replayed one leaving is DELETED', async (t) => {
  const h = harness()
  const base = await started(h, t)
  await h.request('PUT', '/v1/configmaps/a', configMap('a', {}, { labels: { app: 'web' } })) // 1
  await h.request('PUT', '/v1/configmaps/b', configMap('b', {}, { labels: { app: 'web' } })) // 2
  await h.request('PUT', '/v1/configmaps/c', configMap('c', {}, { labels: { app: 'db' } })) // 3
  await h.request('PUT', '/v1/configmaps/b', configMap('b', {}, { labels: { app: 'db' } })) // 4: b left after the list at 3
  await h.request('PUT', '/v1/configmaps/d', configMap('d', {}, { labels: { app: 'web' } })) // 5
  await h.request('PUT', '/v1/configmaps/d', configMap('d', {}, { labels: { app: 'db' } })) // 6
  const w = await openWatch(base, '/v1/watch?kind=configmaps&labelSelector=app%3Dweb&resourceVersion=3')
  t.teardown(() => w.close())
  await h.request('PUT', '/v1/configmaps/a', configMap('a', {}, { labels: { app: 'db' } })) // 7: a, listed at 3, leaves live
  await h.request('PUT', '/v1/configmaps/c', configMap('c', { v: '1' }, { labels: { app: 'db' } })) // 8: c never matched
  const seen = (await w.waitFor(4)).map((e) => `${e.type} ${e.object.metadata.name}@${e.object.metadata.resourceVersion}`)
  t.same(seen, ['DELETED b@4', 'ADDED d@5', 'DELETED d@6', 'DELETED a@7'])
  await new Promise((r) => setTimeout(r, 100))
  t.equal(w.events.length, 4, 'c, which never matched, is not sent')
})

const bigConfigMaps = async (h: Harness, from: number, n: number) => {
  for (let i = from; i < from + n; i++) await h.request('PUT', `/v1/configmaps/big-${i}`, configMap(`big-${i}`, { blob: 'x'.repeat(100_000) }))
}

t.test('a reader that does not read is cut off once its backlog passes the bound; it then gets a final TooSlow line', async (t) => {
  const h = harness({ watch: { maxBacklogBytes: 1_000_000, cutOffGraceMs: 30_000 } })
  const base = await started(h, t)
  const { res, lines } = await pausedWatch(base, '/v1/watch?kind=configmaps&resourceVersion=0')
  t.teardown(() => res.destroy())
  t.equal(h.watchesOpen(), 1)
  // Loopback socket buffers take several MB before the server sees backpressure.
  for (let i = 0; h.watchesOpen() > 0; i += 20) {
    if (i > 2_000) throw new Error('the stream was never cut off')
    await bigConfigMaps(h, i, 20)
  }
  t.equal(h.watchesOpen(), 0, 'cut off while the reader still reads nothing: the server holds no more for it')
  res.resume()
  const all = await lines
  const last = all.at(-1)!
  t.match(last, { type: 'ERROR', object: { code: 429, reason: 'TooSlow' } })
  const names = all.slice(0, -1).map((e) => e.object.metadata.name)
  t.same(names, names.map((_, i) => `big-${i}`), 'what it got before the cut is every change in order, with no gap')
})

t.test('a cut-off reader that never reads is disconnected after the grace period', async (t) => {
  const h = harness({ watch: { maxBacklogBytes: 500_000, cutOffGraceMs: 100 } })
  const base = await started(h, t)
  const { res } = await pausedWatch(base, '/v1/watch?kind=configmaps&resourceVersion=0')
  t.teardown(() => res.destroy())
  const connections = () => new Promise<number>((resolve, reject) => h.server.server.getConnections((err, n) => (err ? reject(err) : resolve(n))))
  t.equal(await connections(), 1)
  for (let i = 0; h.watchesOpen() > 0; i += 20) {
    if (i > 2_000) throw new Error('the stream was never cut off')
    await bigConfigMaps(h, i, 20)
  }
  const deadline = Date.now() + 10_000
  while ((await connections()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  t.equal(await connections(), 0, 'the server closed its connection: nothing of the stream is held in the process')
})

/** A watch whose response is not read until `res.resume()`; `lines` resolves with every line once it ends. */
async function pausedWatch(base: string, path: string): Promise<{ res: IncomingMessage; lines: Promise<{ type: string; object: Record<string, any> }[]> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve, reject) => {
    const req = request(base + path, (res) => {
      res.pause()
      const chunks: Buffer[] = []
      const lines = new Promise<{ type: string; object: Record<string, any> }[]>((done) => { // eslint-disable-line @typescript-eslint/no-explicit-any
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => done(Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))))
      })
      resolve({ res, lines })
    })
    req.on('error', reject)
    req.end()
  })
}
