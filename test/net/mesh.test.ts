import { connect as tcpConnect, createServer } from 'node:net'
import t from 'tap'
import { createJoinToken, swarmKeyFromToken } from '../../src/net/token.js'
import { createMesh, RAFT_PROTOCOL } from '../../src/net/mesh.js'
import { createNode } from '../../src/net/node.js'
import { encode } from '../../src/raft/codec.js'
import { encodeFrames } from '../../src/net/frame.js'
import { parseAddress } from '../../src/net/addr.js'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { app, heartbeat, waitFor } from './helpers.js'
import { startCluster, startMesh } from './mesh-harness.js'
import type { Message } from '../../src/raft/types.js'

const indexes = (ms: Message[], from: string): number[] =>
  ms.filter(m => m.from === from && m.type === 'app').map(m => (m as Extract<Message, { type: 'app' }>).prevIndex + 1)
const range = (lo: number, hi: number): number[] => Array.from({ length: hi - lo }, (_, i) => lo + i)

t.test('two meshes exchange raft messages in order, both ways', async t => {
  const [a, b] = await startCluster(t, 2)
  const A = a!.mesh.peerId
  const B = b!.mesh.peerId
  a!.mesh.send(range(1, 301).map(i => app(A, B, i)))
  for (let i = 1; i <= 50; i++) b!.mesh.send([app(B, A, i)])
  await waitFor(() => b!.inbox.length === 300 && a!.inbox.length === 50, 'all messages')
  t.same(indexes(b!.inbox, A), range(1, 301))
  t.same(indexes(a!.inbox, B), range(1, 51))
  t.ok(a!.mesh.counters.batchesOut < 300, `batched: ${a!.mesh.counters.batchesOut} writes for 300 messages`)
  const st = a!.mesh.status()
  t.equal(st.length, 1)
  t.equal(st[0]?.connected, true)
  t.equal(st[0]?.id, B)
  t.type(st[0]?.lastSeen, 'number')
})

t.test('three meshes: every pair delivers in order', async t => {
  const nodes = await startCluster(t, 3)
  const ids = nodes.map(n => n.mesh.peerId)
  for (let i = 1; i <= 100; i++) {
    for (const [k, n] of nodes.entries()) {
      n.mesh.send(ids.filter(id => id !== ids[k]).map(to => app(ids[k]!, to, i)))
    }
  }
  await waitFor(() => nodes.every(n => n.inbox.length === 200), 'all messages')
  for (const [k, n] of nodes.entries()) {
    for (const from of ids) {
      if (from === ids[k]) continue
      t.same(indexes(n.inbox, from), range(1, 101), `${k} from ${ids.indexOf(from)}`)
    }
    t.ok(n.inbox.every(m => m.to === ids[k]))
  }
})

t.test('the sender reconnects after the peer restarts and delivers again', async t => {
  const token = createJoinToken()
  const a = await startMesh(t, token)
  let b = await startMesh(t, token)
  const port = b.port()
  a.mesh.addPeer(b.mesh.peerId, [`127.0.0.1:${port}`])
  const events: string[] = []
  a.mesh.onPeerEvent(e => { events.push(e.type) })
  a.mesh.send([heartbeat(a.mesh.peerId, b.mesh.peerId, 1)])
  await waitFor(() => b.inbox.length === 1, 'first heartbeat')

  await b.mesh.stop()
  await waitFor(() => a.mesh.status()[0]?.connected === false, 'link down')
  a.mesh.send([heartbeat(a.mesh.peerId, b.mesh.peerId, 2)])
  await waitFor(() => a.mesh.status()[0]?.lastError !== undefined, 'a dial failure recorded')
  t.equal(a.mesh.status()[0]?.lastError?.name, 'PeerUnreachableError')

  b = await startMesh(t, token, { privateKey: b.key, listen: `127.0.0.1:${port}` })
  await waitFor(() => a.mesh.status()[0]?.connected === true, 'link up again')
  a.mesh.send(range(3, 103).map(i => heartbeat(a.mesh.peerId, b.mesh.peerId, i)))
  await waitFor(() => b.inbox.filter(m => m.type === 'heartbeat' && m.commit >= 3).length === 100, 'messages after restart')
  const commits = b.inbox.map(m => (m as Extract<Message, { type: 'heartbeat' }>).commit)
  t.same(commits.filter(c => c >= 3), range(3, 103))
  t.ok(commits.every(c => c >= 2), 'only the queued one and the new ones')
  t.ok(a.mesh.counters.dialFailures >= 1)
  t.same(events.slice(0, 2), ['up', 'down'])
  t.equal(events.at(-1), 'up')
  t.equal(a.mesh.status()[0]?.lastError, undefined, 'error cleared on reconnect')
})

t.test('a node with another join token cannot connect', async t => {
  const b = await startMesh(t, createJoinToken('one'))
  const c = await startMesh(t, createJoinToken('two'))
  await t.rejects(c.mesh.connect(`127.0.0.1:${b.port()}`), { name: 'WrongTokenError' })
  c.mesh.addPeer(b.mesh.peerId, b.mesh.addresses())
  c.mesh.send([heartbeat(c.mesh.peerId, b.mesh.peerId)])
  await waitFor(() => c.mesh.status()[0]?.lastError !== undefined, 'dial failure')
  t.equal(c.mesh.status()[0]?.lastError?.name, 'WrongTokenError')
  t.equal(c.mesh.status()[0]?.connected, false)
  t.equal(b.inbox.length, 0)
  t.ok(c.mesh.counters.wrongToken >= 1, 'the dialer counted the refusal')
  await waitFor(() => b.mesh.counters.wrongToken >= 1, 'the listener counts it too')
})

t.test('a raw TCP client sending garbage is cut off and counted', async t => {
  const [a, b] = await startCluster(t, 2)
  const sock = tcpConnect(b!.port(), '127.0.0.1')
  const closed = new Promise<void>(resolve => { sock.on('close', () => { resolve() }) })
  sock.on('error', () => {})
  sock.resume() // discard what the mesh sends (its nonce and marker) so 'close' can fire
  sock.on('connect', () => { sock.write(Buffer.alloc(4096, 0xab)) })
  await closed
  await waitFor(() => b!.mesh.counters.wrongToken === 1, 'the refusal counted')
  a!.mesh.send([heartbeat(a!.mesh.peerId, b!.mesh.peerId, 7)])
  await waitFor(() => b!.inbox.length === 1, 'the mesh still works')
})

t.test('dialling something that is not a podmesh agent fails as unreachable', async t => {
  const [a] = await startCluster(t, 1)
  const silent = createServer(() => {}) // accepts and never answers: the pnet nonce exchange times out
  await new Promise<void>(resolve => { silent.listen(0, '127.0.0.1', resolve) })
  t.teardown(() => { silent.close() })
  const port = (silent.address() as { port: number }).port
  await t.rejects(a!.mesh.connect(`127.0.0.1:${port}`, { signal: AbortSignal.timeout(300) }), { name: 'PeerUnreachableError' })
})

t.test('connect learns the peer id behind an address', async t => {
  const [a, b] = await startCluster(t, 2)
  const got = await a!.mesh.connect(`127.0.0.1:${b!.port()}`)
  t.equal(got.peerId, b!.mesh.peerId)
  await t.rejects(a!.mesh.connect('127.0.0.1:1'), { name: 'PeerUnreachableError' })
})

t.test('an address answering with another peer id is not accepted', async t => {
  const [a, b] = await startCluster(t, 2)
  const other = await startMesh(t, createJoinToken()) // only used for a valid, foreign peer id
  a!.mesh.addPeer(other.mesh.peerId, [`127.0.0.1:${b!.port()}`])
  await waitFor(() => a!.mesh.status().some(s => s.id === other.mesh.peerId && s.lastError !== undefined), 'dial failure')
  t.equal(a!.mesh.status().find(s => s.id === other.mesh.peerId)?.lastError?.name, 'PeerIdMismatchError')
})

t.test('garbage, oversize, invalid and spoofed frames on a raft stream are dropped', async t => {
  const token = createJoinToken()
  const b = await startMesh(t, token, { maxFrameBytes: 1024 })
  const key = await generateKeyPair('Ed25519')
  const raw = await createNode({
    privateKey: key, swarmKey: swarmKeyFromToken(token), listen: [], announce: [], dialTimeoutMs: 2000, inboundConnectionThreshold: 50
  })
  await raw.start()
  t.teardown(async () => { await raw.stop() })
  const me = raw.peerId.toString()
  const stream = await raw.dialProtocol(parseAddress(b.mesh.addresses()[0]!), RAFT_PROTOCOL)
  stream.send(encodeFrames([
    new Uint8Array([0x92, 1]),
    encode({ type: 'heartbeat', from: me }),
    encode(heartbeat('someone-else', b.mesh.peerId)),
    new Uint8Array(5000),
    encode(heartbeat(me, b.mesh.peerId, 42))
  ]))
  await waitFor(() => b.inbox.length === 1, 'the valid message')
  t.equal((b.inbox[0] as Extract<Message, { type: 'heartbeat' }>).commit, 42)
  t.same(b.mesh.counters.droppedFrames, { undecodable: 1, invalid: 1, spoofed: 1, oversize: 1 })
})

t.test('send to an unknown peer is counted, not thrown', async t => {
  const [a] = await startCluster(t, 1)
  a!.mesh.send([heartbeat(a!.mesh.peerId, 'nobody')])
  t.equal(a!.mesh.counters.droppedSends.noRoute, 1)
})

t.test('a peer we hold no record of is answered over the connection it opened to us, never dialled', async t => {
  // A node restarted before it applied the entry that names its leader knows no address of it (chaos seed 110).
  const token = createJoinToken()
  const leader = await startMesh(t, token)
  const follower = await startMesh(t, token)
  const L = leader.mesh.peerId
  const F = follower.mesh.peerId
  leader.mesh.addPeer(F, follower.mesh.addresses())
  leader.mesh.send([heartbeat(L, F, 1)])
  await waitFor(() => follower.inbox.length === 1, 'the heartbeat')
  follower.mesh.send([heartbeat(F, L, 2), heartbeat(F, L, 3)])
  await waitFor(() => leader.inbox.length === 2, 'the answers')
  t.same(leader.inbox.map(m => (m as Extract<Message, { type: 'heartbeat' }>).commit), [2, 3], 'in order')
  t.equal(follower.mesh.counters.droppedSends.noRoute, 0)
  t.same(follower.mesh.peers(), [], 'no record made: the member directory still decides whom to dial')
  t.same(follower.mesh.status(), [])

  // Once the leader is gone there is nothing to answer over, and nothing is dialled.
  await leader.mesh.stop()
  await waitFor(() => {
    follower.mesh.send([heartbeat(F, L, 4)])
    return follower.mesh.counters.droppedSends.noRoute > 0
  }, 'answers to a gone peer dropped as noRoute')
})

t.test('once the peer gets a record, its answers go through the record\'s own link', async t => {
  const token = createJoinToken()
  const leader = await startMesh(t, token)
  const follower = await startMesh(t, token)
  const L = leader.mesh.peerId
  const F = follower.mesh.peerId
  leader.mesh.addPeer(F, follower.mesh.addresses())
  leader.mesh.send([heartbeat(L, F, 1)])
  await waitFor(() => follower.inbox.length === 1, 'the heartbeat')
  follower.mesh.send([heartbeat(F, L, 2)])
  await waitFor(() => leader.inbox.length === 1, 'the answer over the reply link')
  follower.mesh.addPeer(L, leader.mesh.addresses())
  await waitFor(() => follower.mesh.status()[0]?.connected === true, 'the record\'s link up')
  follower.mesh.send([heartbeat(F, L, 3)])
  await waitFor(() => leader.inbox.length === 2, 'the answer over the record\'s link')
  t.same(leader.inbox.map(m => (m as Extract<Message, { type: 'heartbeat' }>).commit), [2, 3])
  t.equal(follower.mesh.counters.droppedSends.noRoute, 0)
})

t.test('a mesh refuses calls before start', async t => {
  const privateKey = await generateKeyPair('Ed25519')
  const mesh = createMesh({ privateKey, token: createJoinToken(), listen: '127.0.0.1:0' })
  await t.rejects(mesh.call('x', 'm', null), { name: 'MeshNotStartedError' })
  t.throws(() => createMesh({ privateKey, token: 'pm1.bad', listen: '127.0.0.1:0' }), { name: 'InvalidJoinTokenError' })
  t.throws(() => createMesh({ privateKey, token: createJoinToken(), listen: 'nope' }), { name: 'InvalidAddressError' })
})
