// Loopback throughput of the mesh, both ends in this one process (so on one core): a measurement, not a test.
// Run: PODMESH_BENCH=1 node .build/net/test/net/bench.js   (skipped when tap imports it)
import { generateKeyPair } from '@libp2p/crypto/keys'
import { createMesh } from '../../src/net/mesh.js'
import { createJoinToken } from '../../src/net/token.js'
import { app } from './helpers.js'
import type { Mesh } from '../../src/net/mesh.js'

const RAFT_MESSAGES = Number(process.env.RAFT_MESSAGES ?? 200_000)
const ENTRY_BYTES = Number(process.env.ENTRY_BYTES ?? 100)
const RPC_SECONDS = Number(process.env.RPC_SECONDS ?? 3)
const RPC_CONCURRENCY = 64

async function pair (): Promise<[Mesh, Mesh]> {
  const token = createJoinToken()
  const make = async (): Promise<Mesh> => {
    const m = createMesh({ privateKey: await generateKeyPair('Ed25519'), token, listen: '/ip4/127.0.0.1/tcp/0' })
    await m.start()
    return m
  }
  const a = await make()
  const b = await make()
  a.addPeer(b.peerId, b.addresses())
  b.addPeer(a.peerId, a.addresses())
  return [a, b]
}

async function raftFramesPerSecond (a: Mesh, b: Mesh): Promise<number> {
  let received = 0
  b.onMessage(() => { received++ })
  const data = new Uint8Array(ENTRY_BYTES)
  const window = 2048 // like Raft's inflight limit: stay under the queue bound instead of dropping
  let sent = 0
  const start = performance.now()
  while (received < RAFT_MESSAGES) {
    const n = Math.min(window - (sent - received), RAFT_MESSAGES - sent)
    if (n > 0) {
      a.send(Array.from({ length: n }, (_, i) => app(a.peerId, b.peerId, sent + i + 1, data)))
      sent += n
    }
    await new Promise(resolve => setImmediate(resolve))
  }
  return RAFT_MESSAGES / ((performance.now() - start) / 1000)
}

async function rpcCallsPerSecond (a: Mesh, b: Mesh): Promise<number> {
  b.handle('put', async body => ({ ok: true, echo: (body as { k: string }).k }))
  await a.call(b.peerId, 'put', { k: 'warmup' })
  let calls = 0
  const deadline = performance.now() + RPC_SECONDS * 1000
  const worker = async (w: number): Promise<void> => {
    while (performance.now() < deadline) {
      await a.call(b.peerId, 'put', { k: `key-${w}`, v: 'x'.repeat(64) })
      calls++
    }
  }
  const start = performance.now()
  await Promise.all(Array.from({ length: RPC_CONCURRENCY }, async (_, w) => { await worker(w) }))
  return calls / ((performance.now() - start) / 1000)
}

if (process.env.PODMESH_BENCH === '1') {
  const [a, b] = await pair()
  const fps = await raftFramesPerSecond(a, b)
  console.log(`raft: ${Math.round(fps)} frames/s one-way (${RAFT_MESSAGES} app messages, ${ENTRY_BYTES}-byte entry, ${a.counters.batchesOut} writes)`)
  const cps = await rpcCallsPerSecond(a, b)
  console.log(`rpc: ${Math.round(cps)} calls/s at ${RPC_CONCURRENCY} concurrent calls`)
  await a.stop()
  await b.stop()
}
