// The server's own rules, in-process: bearer token, body limit, routing errors.
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
