// An agent whose API listens beyond loopback (0.0.0.0) requires the bearer token, even when called via 127.0.0.1.
import t from 'tap'
import { call, eventually, Fleet, runAgentCli } from './fleet.js'

t.test('API on 0.0.0.0: 401 without the token or with a wrong one, 200 with it', async (t) => {
  const fleet = await Fleet.create('podmesh-api-auth-')
  t.teardown(() => fleet.destroy())
  t.teardown(() => void (t.passing() || console.error(fleet.logs())))
  const extraArgs: string[] = []
  const a = await fleet.add({ name: 'solo', extraArgs })
  // The launcher passes --api 127.0.0.1:PORT; a later --api wins, so the agent binds every interface on that port.
  extraArgs.push('--api', `0.0.0.0:${a.apiPort}`)
  a.start()
  await eventually('the API answers', async () => (await call(a, 'GET', '/v1/status', undefined, {}, 2_000)).status === 401)
  const token = (await runAgentCli(['token', '--api', '--data-dir', a.dataDir])).stdout.trim()
  t.ok(token.length >= 16, 'agent token --api prints the API token')

  const none = await call<{ error: string }>(a, 'GET', '/v1/configmaps')
  t.equal(none.status, 401)
  t.equal(none.body.error, 'Unauthorized')
  t.equal((await call(a, 'GET', '/v1/configmaps', undefined, { authorization: `Bearer ${token}x` })).status, 401)
  t.equal((await call(a, 'PUT', '/v1/configmaps/x', { data: {} }, { authorization: 'Bearer nope' })).status, 401)
  t.equal((await call(a, 'GET', '/metrics')).status, 401, 'metrics too')
  const auth = { authorization: `Bearer ${token}` }
  await eventually('a leads', async () => (await call<{ node: { raftRole: string } }>(a, 'GET', '/v1/status', undefined, auth)).body.node?.raftRole === 'leader')
  t.equal((await call(a, 'PUT', '/v1/configmaps/x', { data: { k: 'v' } }, auth)).status, 201)
  t.equal((await call(a, 'GET', '/v1/configmaps/x', undefined, auth)).status, 200)
  t.equal((await call(a, 'GET', '/v1/configmaps/x', undefined, { authorization: 'Bearer wrong' })).status, 401)
})
