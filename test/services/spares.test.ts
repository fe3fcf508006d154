// Spare connections in the routing mesh, against real local TCP servers: a connection goes out on a
// spare the endpoint accepted before the client came; a server that speaks first or closes idle
// connections never hands a client a used or dead spare; spares of endpoints out of rotation are closed.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net'
import t from 'tap'
import { MeshCounters } from '../../src/services/counters.js'
import type { Endpoint } from '../../src/services/endpoints.js'
import { forward } from '../../src/services/forward.js'
import { EndpointPicker, endpointKey } from '../../src/services/picker.js'
import { SpareConnections } from '../../src/services/spares.js'

const ep = (port: number): Endpoint => ({ ip: '127.0.0.1', port, pod: `p${port}` })

interface Accepted {
  readonly at: number
  request?: string
  /** Connections this server had accepted when the request arrived. */
  acceptedBefore?: number
  closed: boolean
}

/** Answers each request with `name:request`; `greet` writes first; `idleMs` closes connections silent that long. */
async function server(name: string, opts: { greet?: boolean; idleMs?: number } = {}): Promise<{ port: number; server: Server; accepted: Accepted[] }> {
  const accepted: Accepted[] = []
  const s = createServer((sock) => {
    const a: Accepted = { at: performance.now(), closed: false }
    accepted.push(a)
    if (opts.greet) sock.write(`${name} ready\n`)
    const idle = opts.idleMs !== undefined ? setTimeout(() => sock.end(), opts.idleMs) : undefined
    sock.once('data', (d) => {
      clearTimeout(idle)
      a.request = d.toString()
      a.acceptedBefore = accepted.length
      sock.end(`${name}:${d.toString()}`)
    })
    sock.on('close', () => (a.closed = true))
    sock.on('error', () => undefined)
  })
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return { port: (s.address() as AddressInfo).port, server: s, accepted }
}

async function mesh(endpoints: () => Endpoint[]) {
  const counters = new MeshCounters().of('default/web:80')
  const spares = new SpareConnections()
  const s = createServer({ allowHalfOpen: true }, (sock) => forward(sock, { endpoints, picker: new EndpointPicker(), counters, spares }, { connectTimeoutMs: 300 }))
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return { port: (s.address() as AddressInfo).port, server: s, counters, spares }
}

function request(port: number, body: string): Promise<string> {
  return new Promise((resolve) => {
    const c: Socket = connect(port, '127.0.0.1', () => c.end(body))
    let got = ''
    c.on('data', (d) => (got += d.toString()))
    c.on('error', () => undefined)
    c.on('close', () => resolve(got === '' ? 'closed' : got))
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await sleep(10)
}

t.test('after the first connection, the next goes out on a spare the endpoint accepted before the client came', async (t) => {
  const a = await server('a')
  const m = await mesh(() => [ep(a.port)])
  t.teardown(() => {
    m.spares.close()
    ;[a, m].forEach((x) => x.server.close())
  })
  t.equal(await request(m.port, 'one'), 'a:one')
  await until(() => a.accepted.length === 2)
  t.equal(a.accepted.length, 2, 'a spare was opened after the first connection')
  const sentAt = performance.now()
  t.equal(await request(m.port, 'two'), 'a:two')
  const carrier = a.accepted.find((x) => x.request === 'two')!
  t.ok(carrier.at < sentAt, 'the second request went out on the connection accepted before it was sent')
  t.equal(carrier.acceptedBefore, 2, 'no replacement was opened before the request had gone out on the spare')
  await until(() => a.accepted.length === 3)
  t.equal(a.accepted.length, 3, 'and the spare it used was replaced after')
  t.equal(m.counters.retries, 0)
})

t.test('an endpoint that speaks first gets no spares: every client sees its own greeting', async (t) => {
  const g = await server('g', { greet: true })
  const m = await mesh(() => [ep(g.port)])
  t.teardown(() => {
    m.spares.close()
    ;[g, m].forEach((x) => x.server.close())
  })
  t.match(await request(m.port, 'one'), /^g ready\n/)
  await until(() => g.accepted.length === 2 && g.accepted[1]!.closed)
  t.ok(g.accepted[1]!.closed, 'the spare that was greeted was closed unused')
  t.equal(m.spares.size, 0)
  t.match(await request(m.port, 'two'), /^g ready\ng:two$/)
  await sleep(50)
  t.equal(g.accepted.length, 3, 'no spare was opened again')
  t.equal(g.accepted.filter((x) => x.request !== undefined).length, 2)
})

t.test('a spare the endpoint closed while idle is not used, and is not reopened at once', async (t) => {
  const s = await server('s', { idleMs: 30 })
  const m = await mesh(() => [ep(s.port)])
  t.teardown(() => {
    m.spares.close()
    ;[s, m].forEach((x) => x.server.close())
  })
  t.equal(await request(m.port, 'one'), 's:one')
  await until(() => s.accepted.length === 2 && s.accepted[1]!.closed)
  await sleep(50)
  t.equal(s.accepted.length, 2, 'backing off: no new spare right after one died young')
  t.equal(await request(m.port, 'two'), 's:two', 'answered on a new connection')
  t.equal(m.counters.retries, 0)
})

t.test('spares of endpoints that left rotation are closed', async (t) => {
  const a = await server('a')
  const spares = new SpareConnections()
  t.teardown(() => {
    spares.close()
    a.server.close()
  })
  t.equal(spares.take(ep(a.port)), undefined, 'none yet')
  spares.replenish(ep(a.port))
  await until(() => a.accepted.length === 1)
  t.equal(spares.size, 1)
  spares.retain(new Set([endpointKey(ep(a.port + 1))]))
  await until(() => a.accepted[0]!.closed)
  t.ok(a.accepted[0]!.closed)
  t.equal(spares.size, 0)
})

t.test('a spare that died of an idle timeout is replaced by the next connection, not while the endpoint has no traffic', async (t) => {
  const s = await server('s', { idleMs: 30 })
  let clock = 0
  const spares = new SpareConnections(() => clock)
  t.teardown(() => {
    spares.close()
    s.server.close()
  })
  spares.take(ep(s.port))
  spares.replenish(ep(s.port))
  await until(() => s.accepted.length === 1)
  clock += 10_000 // it lives long before the server's idle timeout closes it
  await until(() => s.accepted[0]!.closed)
  await sleep(50)
  t.equal(s.accepted.length, 1, 'no new spare without traffic')
  t.equal(spares.take(ep(s.port)), undefined, 'nothing to take')
  spares.replenish(ep(s.port))
  await until(() => s.accepted.length === 2)
  t.equal(s.accepted.length, 2, 'the next connection opened a new one at once: no backoff after a long life')
})
