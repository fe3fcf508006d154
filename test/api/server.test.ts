// The server's own rules, in-process: bearer token, body limit, routing errors.
import { request } from 'node:http'
import t from 'tap'
import { harness } from './harness.js'

t.test('with a bearer token set, requests without it or with a wrong one get 401', async (t) => {
  const h = harness({ bearerToken: 'sekret-token' })
  const none = await h.request('GET', '/v1/configmaps')
  t.equal(none.status, 401)
  t.equal(none.json<{ error: string }>().error, 'Unauthorized')
  t.equal((await h.request('GET', '/v1/configmaps', undefined, { authorization: 'Bearer wrong-token!' })).status, 401)
  t.equal((await h.request('GET', '/v1/configmaps', undefined, { authorization: 'sekret-token' })).status, 401, 'the Bearer scheme is required')
  t.equal((await h.request('GET', '/v1/configmaps', undefined, { authorization: 'Bearer sekret-token' })).status, 200)
})

t.test('a body over the limit gets 413 and is not applied', async (t) => {
  const h = harness()
  const big = JSON.stringify({ data: { v: 'x'.repeat(4 * 1024 * 1024) } })
  const r = await h.request('PUT', '/v1/configmaps/big', big)
  t.equal(r.status, 413)
  t.equal(r.json<{ error: string }>().error, 'PayloadTooLarge')
  t.equal(h.state.store.size, 0)
  const small = harness({ maxBodyBytes: 100 })
  t.equal((await small.request('POST', '/v1/apply', 'x'.repeat(101))).status, 413)
  t.equal((await small.request('PUT', '/v1/configmaps/a', { data: { v: '1' } })).status, 201)
})

t.test('a socket request streams the body through the same limit', async (t) => {
  const h = harness({ maxBodyBytes: 1000 })
  const { port } = await h.server.start()
  t.teardown(() => h.server.stop())
  const res = await fetch(`http://127.0.0.1:${port}/v1/configmaps/a`, { method: 'PUT', body: 'x'.repeat(5000) })
  t.equal(res.status, 413)
  const ok = await fetch(`http://127.0.0.1:${port}/v1/configmaps/a`, { method: 'PUT', body: JSON.stringify({ data: { k: 'v' } }) })
  t.equal(ok.status, 201)
})

/** A PUT whose body is sent in chunks (transfer-encoding: chunked, no content-length). */
function chunkedPut(port: number, path: string, chunks: readonly string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'PUT', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    for (const c of chunks) req.write(c)
    req.end()
  })
}

t.test('a chunked socket body is read whole, and cut off with 413 once over the limit', async (t) => {
  const h = harness({ maxBodyBytes: 1000 })
  const { port } = await h.server.start()
  t.teardown(() => h.server.stop())
  const ok = await chunkedPut(port, '/v1/configmaps/a', ['{"data":', '{"k":', '"v"}}'])
  t.equal(ok.status, 201, ok.body)
  t.same(h.state.store.get({ kind: 'ConfigMap', namespace: 'default', name: 'a' })?.object.data, { k: 'v' })
  const big = await chunkedPut(port, '/v1/configmaps/b', Array.from({ length: 10 }, () => 'x'.repeat(400)))
  t.equal(big.status, 413)
  t.equal(JSON.parse(big.body).error, 'PayloadTooLarge')
  t.equal(h.state.store.get({ kind: 'ConfigMap', namespace: 'default', name: 'b' }), undefined)
})
