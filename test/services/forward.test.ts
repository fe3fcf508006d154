// The routing mesh's forwarding against real local TCP servers: round-robin spread, another endpoint
// tried when one refuses or closes before answering (the client's bytes replayed), and the client closed
// only when none answers. Endpoint picking is checked on its own first.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net'
import t from 'tap'
import { MeshCounters } from '../../src/services/counters.js'
import type { Endpoint } from '../../src/services/endpoints.js'
import { forward } from '../../src/services/forward.js'
import { EndpointPicker, endpointKey } from '../../src/services/picker.js'

const ep = (port: number, pod = `p${port}`): Endpoint => ({ ip: '127.0.0.1', port, pod })

t.test('round-robin visits every endpoint in turn and skips the ones tried', async (t) => {
  const p = new EndpointPicker()
  const eps = [ep(1), ep(2), ep(3)]
  t.same([1, 2, 3, 4].map(() => p.pick(eps, new Set())!.port), [1, 2, 3, 1])
  t.equal(p.pick(eps, new Set([endpointKey(ep(2)), endpointKey(ep(3))]))!.port, 1)
  t.equal(p.pick(eps, new Set(eps.map(endpointKey))), undefined)
  t.equal(p.pick([], new Set()), undefined)
})

t.test('least-connections prefers the endpoint with the fewest open connections', async (t) => {
  const p = new EndpointPicker('least-connections')
  const eps = [ep(1), ep(2)]
  p.opened(eps[0]!)
  t.equal(p.pick(eps, new Set())!.port, 2)
  p.opened(eps[1]!)
  p.opened(eps[1]!)
  t.equal(p.pick(eps, new Set())!.port, 1)
  p.closed(eps[1]!)
  p.closed(eps[1]!)
  p.closed(eps[0]!)
  t.same([...p.openConnections()], [])
})

type Behaviour = 'answer' | 'close' | 'reset'

/** A server that reads a request line and answers with its name, closes without answering, or resets. */
async function server(name: string, behaviour: Behaviour): Promise<{ port: number; server: Server; seen: string[] }> {
  const seen: string[] = []
  const s = createServer((sock) => {
    sock.once('data', (d) => {
      seen.push(d.toString())
      if (behaviour === 'answer') sock.end(`${name}:${d.toString()}`)
      else if (behaviour === 'close') sock.end()
      else sock.resetAndDestroy()
    })
    sock.on('error', () => undefined)
  })
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return { port: (s.address() as AddressInfo).port, server: s, seen }
}

/** A closed port: bound once, then released. */
async function closedPort(): Promise<number> {
  const s = await server('gone', 'answer')
  await new Promise((r) => s.server.close(r))
  return s.port
}

async function mesh(endpoints: () => Endpoint[]) {
  const counters = new MeshCounters().of('default/web:80')
  const picker = new EndpointPicker()
  const s = createServer({ allowHalfOpen: true }, (sock) => forward(sock, { endpoints, picker, counters }, { connectTimeoutMs: 300 }))
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return { port: (s.address() as AddressInfo).port, server: s, counters }
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 10))
}

/** One request over a new connection: what came back, or 'closed' when nothing did. */
function request(port: number, body = 'hello'): Promise<string> {
  return new Promise((resolve) => {
    const c: Socket = connect(port, '127.0.0.1', () => c.write(body))
    let got = ''
    c.on('data', (d) => (got += d.toString()))
    c.on('error', () => undefined)
    c.on('close', () => resolve(got === '' ? 'closed' : got))
  })
}

t.test('connections spread round-robin over the endpoints', async (t) => {
  const a = await server('a', 'answer')
  const b = await server('b', 'answer')
  const m = await mesh(() => [ep(a.port), ep(b.port)])
  t.teardown(() => [a, b, m].forEach((x) => x.server.close()))
  const answers = []
  for (let i = 0; i < 4; i++) answers.push(await request(m.port))
  t.same(answers.sort(), ['a:hello', 'a:hello', 'b:hello', 'b:hello'])
  t.equal(m.counters.connections, 4)
  t.equal(m.counters.retries, 0)
})

t.test('a refused, a reset and a silently closed endpoint are skipped; the request is replayed to one that answers', async (t) => {
  const refused = await closedPort()
  const reset = await server('reset', 'reset')
  const silent = await server('silent', 'close')
  const good = await server('good', 'answer')
  const m = await mesh(() => [ep(refused), ep(reset.port), ep(silent.port), ep(good.port)])
  t.teardown(() => [reset, silent, good, m].forEach((x) => x.server.close()))
  t.equal(await request(m.port, 'GET /1'), 'good:GET /1')
  t.equal(m.counters.retries, 3)
  t.same(reset.seen, ['GET /1'], 'the reset endpoint got the request once')
  t.same(silent.seen, ['GET /1'])
  t.equal(m.counters.failures, 0)
  await until(() => m.counters.active === 0)
  t.equal(m.counters.active, 0, 'the mesh closed its side too')
})

t.test('the client is closed only when no endpoint answers', async (t) => {
  const refused = await closedPort()
  const silent = await server('silent', 'close')
  const m = await mesh(() => [ep(refused), ep(silent.port)])
  t.teardown(() => [silent, m].forEach((x) => x.server.close()))
  t.equal(await request(m.port), 'closed')
  t.equal(m.counters.failures, 1)
  const none = await mesh(() => [])
  t.teardown(() => none.server.close())
  t.equal(await request(none.port), 'closed')
  t.equal(none.counters.failures, 1)
})

t.test('a large exchange after the first byte is piped intact both ways', async (t) => {
  const echo = createServer({ allowHalfOpen: true }, (s) => s.pipe(s))
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r))
  const m = await mesh(() => [ep((echo.address() as AddressInfo).port)])
  t.teardown(() => [echo, m.server].forEach((x) => x.close()))
  const payload = Buffer.alloc(4 * 1024 * 1024, 7)
  const back = await new Promise<Buffer>((resolve) => {
    const c = connect(m.port, '127.0.0.1', () => c.end(payload))
    const chunks: Buffer[] = []
    c.on('data', (d) => chunks.push(d))
    c.on('close', () => resolve(Buffer.concat(chunks)))
  })
  t.equal(back.length, payload.length)
  t.ok(back.equals(payload))
})
