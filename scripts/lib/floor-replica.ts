// One process of bench-floor's minimal replicated write: no Raft, no API, no state, only the parts every
// write of the agent goes through. The leader takes an HTTP request, sends its body to both followers,
// writes it to LevelDB with sync, and answers once its own write and one follower's are done; a follower
// writes what it gets to LevelDB with sync and answers. Over `tcp` (4-byte length prefix on a plain socket)
// or over the agent's `mesh` (libp2p, the token's private network, Noise, yamux, framed msgpack).
// One request at a time (bench-floor has one client): the leader keeps a single pending write.
// Run by scripts/bench-floor.ts from a bundle built with the agent's dependency patches.
// argv: leader|follower tcp|mesh <data dir> [token for mesh] [followers, JSON, for the leader]
import '../../src/net/polyfill.js'
import { createServer, type ServerResponse } from 'node:http'
import { createServer as createTcpServer, connect, type Socket } from 'node:net'
import { ClassicLevel } from 'classic-level'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { createMesh, type Mesh } from '../../src/net/mesh.js'
import type { Message } from '../../src/raft/types.js'

export type FloorTransport = 'tcp' | 'mesh'
/** How a follower is reached: a TCP port, or a mesh peer id and its addresses. */
export type FollowerAddress = { readonly port: number } | { readonly id: string; readonly addrs: readonly string[] }
/** What a replica sends its parent once it listens. */
export type FloorReady = { readonly follower: FollowerAddress } | { readonly leaderPort: number }

const [role, transport, dir, token = '', followersJson = '[]'] = process.argv.slice(2) as [string, FloorTransport, string, string?, string?]
const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' })
await db.open()

function persist(index: number, data: Uint8Array): Promise<void> {
  const key = Buffer.allocUnsafe(8)
  key.writeBigUInt64BE(BigInt(index))
  return db.batch().put(key, Buffer.from(data.buffer, data.byteOffset, data.byteLength)).write({ sync: true })
}

async function startMesh(): Promise<Mesh> {
  const m = createMesh({ privateKey: await generateKeyPair('Ed25519'), token, listen: '/ip4/127.0.0.1/tcp/0' })
  await m.start()
  return m
}

const append = (from: string, to: string, index: number, data: Uint8Array): Message => ({ type: 'app', from, to, term: 1, prevIndex: index - 1, prevTerm: 1, commit: index - 1, entries: [{ term: 1, index, type: 'normal', data }] })
const answer = (from: string, to: string, index: number): Message => ({ type: 'appResp', from, to, term: 1, index, reject: false, hintIndex: 0, hintTerm: 0 })

/** Splits a TCP byte stream into 4-byte-length-prefixed frames. */
function onFrames(socket: Socket, frame: (bytes: Buffer) => void): void {
  let buf: Buffer = Buffer.alloc(0)
  socket.on('data', (d: Buffer) => {
    buf = buf.length === 0 ? d : Buffer.concat([buf, d])
    while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
      const len = buf.readUInt32BE(0)
      frame(buf.subarray(4, 4 + len))
      buf = buf.subarray(4 + len)
    }
  })
}

function sendFrame(socket: Socket, bytes: Uint8Array): void {
  const head = Buffer.allocUnsafe(4)
  head.writeUInt32BE(bytes.byteLength)
  socket.write(Buffer.concat([head, bytes]))
}

async function follower(): Promise<FollowerAddress> {
  if (transport === 'tcp') {
    let index = 0
    const server = createTcpServer((s) => {
      s.setNoDelay(true)
      onFrames(s, (bytes) => {
        const i = ++index
        void persist(i, bytes).then(() => sendFrame(s, Buffer.alloc(4)))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return { port: (server.address() as { port: number }).port }
  }
  const m = await startMesh()
  m.onMessage((msg) => {
    if (msg.type !== 'app') return
    const last = msg.entries[msg.entries.length - 1]!
    void persist(last.index, last.data).then(() => m.send([answer(m.peerId, msg.from, last.index)]))
  })
  return { id: m.peerId, addrs: m.addresses() }
}

async function leader(): Promise<number> {
  const followers = JSON.parse(followersJson) as FollowerAddress[]
  let pending: { res: ServerResponse; index: number; acks: number; persisted: boolean } | undefined
  const settle = (): void => {
    if (!pending || pending.acks < 1 || !pending.persisted) return
    const { res } = pending
    pending = undefined
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 }).end('{"ok":true}')
  }
  const acked = (index: number): void => {
    if (pending?.index !== index) return
    pending.acks++
    settle()
  }
  let send: (index: number, data: Buffer) => void
  if (transport === 'tcp') {
    const sockets = followers.map((f) => {
      const s = connect((f as { port: number }).port, '127.0.0.1')
      s.setNoDelay(true)
      let answered = 0
      onFrames(s, () => acked(++answered))
      return s
    })
    send = (_index, data) => { for (const s of sockets) sendFrame(s, data) }
  } else {
    const m = await startMesh()
    const peers = followers as { id: string; addrs: string[] }[]
    for (const p of peers) m.addPeer(p.id, p.addrs)
    m.onMessage((msg) => { if (msg.type === 'appResp') acked(msg.index) })
    send = (index, data) => m.send(peers.map((p) => append(m.peerId, p.id, index, data)))
  }
  let index = 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const data = Buffer.concat(chunks)
      const i = ++index
      pending = { res, index: i, acks: 0, persisted: false }
      send(i, data)
      void persist(i, data).then(() => {
        if (pending?.index !== i) return
        pending.persisted = true
        settle()
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as { port: number }).port
}

const ready: FloorReady = role === 'leader' ? { leaderPort: await leader() } : { follower: await follower() }
process.send!(ready)
