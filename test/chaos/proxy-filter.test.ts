// The in-process fallback filter with real sockets on loopback: a cut direction stops carrying
// bytes (they wait, as on a lossy link) and carries them again after the heal.
import t from 'tap'
import { connect, createServer, type Socket } from 'node:net'
import { freePort } from '../../src/fleet/local-fleet.js'
import { ProxyFilter } from '../../src/chaos/proxy-filter.js'

const A = '127.0.0.21'
const B = '127.0.0.22'

async function echoServer(host: string): Promise<{ port: number; close: () => void }> {
  const sockets = new Set<Socket>()
  const server = createServer((s) => {
    sockets.add(s)
    s.pipe(s)
  })
  const port = await freePort(host)
  await new Promise<void>((r) => server.listen(port, host, r))
  return { port, close: () => { for (const s of sockets) s.destroy(); server.close() } }
}

/** Resolves with the next data, or 'nothing' if none comes within `ms` (a bound, not a timing assertion). */
function nextData(s: Socket, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const t = setTimeout(() => { s.off('data', on); resolve('nothing') }, ms)
    const on = (d: Buffer) => { clearTimeout(t); s.off('data', on); resolve(d.toString()) }
    s.on('data', on)
  })
}

t.test('cuts by source address, heals, leaves unknown sources alone', async (t) => {
  const echo = await echoServer(B)
  const listenPort = await freePort(B)
  const slots: Record<string, number> = { [A]: 0, [B]: 1 }
  const filter = await ProxyFilter.create([{ slot: 1, host: B, listenPort, meshPort: echo.port }], (addr) => slots[addr])
  t.teardown(() => { filter.closeNow(); echo.close() })

  const fromA = connect({ host: B, port: listenPort, localAddress: A })
  await new Promise((r) => fromA.once('connect', r))
  fromA.write('one')
  t.equal(await nextData(fromA, 5_000), 'one', 'open link relays both ways')

  await filter.apply([{ from: 0, to: 1 }])
  fromA.write('two')
  t.equal(await nextData(fromA, 300), 'nothing', 'a cut direction carries nothing')
  await filter.heal()
  t.equal(await nextData(fromA, 5_000), 'two', 'after the heal the held bytes arrive')

  await filter.apply([{ from: 1, to: 0 }])
  fromA.write('three')
  t.equal(await nextData(fromA, 300), 'nothing', 'the way back can be cut alone')
  await filter.heal()
  t.equal(await nextData(fromA, 5_000), 'three')

  const outsider = connect({ host: B, port: listenPort, localAddress: '127.0.0.1' })
  await new Promise((r) => outsider.once('connect', r))
  await filter.apply([{ from: 0, to: 1 }, { from: 1, to: 0 }])
  outsider.write('free')
  t.equal(await nextData(outsider, 5_000), 'free', 'a connection from outside the cluster is never cut')
  fromA.destroy()
  outsider.destroy()
})
