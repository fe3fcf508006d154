import t from 'tap'
import { waitFor } from './helpers.js'
import { startCluster, startMesh } from './mesh-harness.js'
import { createJoinToken } from '../../src/net/token.js'

class NotLeaderError extends Error {
  override name = 'NotLeaderError'
}

t.test('rpc round trip, concurrent calls, binary bodies', async t => {
  const [a, b] = await startCluster(t, 2)
  b!.mesh.handle('echo', async (body, from) => ({ body, from }))
  const reply = await a!.mesh.call(b!.mesh.peerId, 'echo', { x: 1, bytes: new Uint8Array([1, 2]) }) as { body: { x: number, bytes: Uint8Array }, from: string }
  t.equal(reply.from, a!.mesh.peerId)
  t.equal(reply.body.x, 1)
  t.same([...reply.body.bytes], [1, 2])
  const many = await Promise.all(Array.from({ length: 100 }, async (_, i) => await a!.mesh.call(b!.mesh.peerId, 'echo', i)))
  t.same(many.map(r => (r as { body: number }).body), Array.from({ length: 100 }, (_, i) => i))
})

t.test('handler errors travel back with their name', async t => {
  const [a, b] = await startCluster(t, 2)
  b!.mesh.handle('write', () => { throw new NotLeaderError('leader is elsewhere') })
  await t.rejects(a!.mesh.call(b!.mesh.peerId, 'write', {}), { name: 'NotLeaderError', message: 'leader is elsewhere', remote: true, peer: b!.mesh.peerId })
  await t.rejects(a!.mesh.call(b!.mesh.peerId, 'missing', {}), { name: 'NoSuchMethodError', remote: true })
})

t.test('timeouts and aborts', async t => {
  const [a, b] = await startCluster(t, 2)
  let release = (): void => {}
  b!.mesh.handle('slow', async () => await new Promise<string>(resolve => { release = () => { resolve('late') } }))
  await t.rejects(a!.mesh.call(b!.mesh.peerId, 'slow', null, { timeoutMs: 100 }), { name: 'RpcTimeoutError' })
  const ac = new AbortController()
  const p = a!.mesh.call(b!.mesh.peerId, 'slow', null, { signal: ac.signal })
  ac.abort()
  await t.rejects(p, { name: 'RpcAbortedError' })
  release()
  b!.mesh.handle('fast', () => 'ok')
  t.equal(await a!.mesh.call(b!.mesh.peerId, 'fast', null), 'ok', 'the channel still works after a late reply')
})

t.test('calls to a stopped peer fail; calls to self run locally', async t => {
  const [a, b] = await startCluster(t, 2)
  a!.mesh.handle('who', (_body, from) => from)
  t.equal(await a!.mesh.call(a!.mesh.peerId, 'who', null), a!.mesh.peerId)
  b!.mesh.handle('hang', async () => await new Promise(() => {}))
  const pending = t.rejects(a!.mesh.call(b!.mesh.peerId, 'hang', null, { timeoutMs: 5000 }), { name: 'RpcConnectionLostError' })
  await waitFor(() => a!.mesh.status()[0]?.connected === true, 'connected')
  await b!.mesh.stop()
  await pending
  await t.rejects(a!.mesh.call(b!.mesh.peerId, 'hang', null, { timeoutMs: 2000 }), { name: 'PeerUnreachableError' })
})

t.test('join flow: dial an address, learn its id, call it without addPeer', async t => {
  const token = createJoinToken()
  const member = await startMesh(t, token)
  const joiner = await startMesh(t, token)
  member.mesh.handle('join', (body, from) => ({ welcome: from, addrs: (body as { addrs: string[] }).addrs.length }))
  const { peerId } = await joiner.mesh.connect(`127.0.0.1:${member.port()}`)
  t.equal(peerId, member.mesh.peerId)
  const reply = await joiner.mesh.call(peerId, 'join', { addrs: joiner.mesh.addresses() })
  t.same(reply, { welcome: joiner.mesh.peerId, addrs: 1 })
})
