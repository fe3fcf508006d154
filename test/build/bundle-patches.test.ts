// The dependency patches the agent's bundle is built with (scripts/bundle-patches.ts): that they apply
// or fail loudly, and that the patched code, bundled as the agent is, still carries every message while
// sending fewer yamux window updates and never asking Noise's length decoder about an empty buffer.
import t from 'tap'
import { build } from 'esbuild'
import { mkdirSync, rmSync } from 'node:fs'
import { createServer, connect, type Socket } from 'node:net'
import { pathToFileURL } from 'node:url'
import { agentBundleOptions, PROJECT_ROOT as root } from '../../scripts/bundle-options.js'
import { applyPatches, PATCHES, type SourcePatch } from '../../scripts/bundle-patches.js'
import { app, testSeed, waitFor } from '../net/helpers.js'
import type { Message } from '../../src/raft/types.js'
import type { Test } from 'tap'

t.test('a patch applies where its text is found once, and refuses a file where it is missing or repeated', async t => {
  const p: SourcePatch = { file: 'x/a.js', why: 'because', find: 'b()', replace: 'c()' }
  t.equal(applyPatches('x/a.js', 'a(); b(); d()', [p]), 'a(); c(); d()')
  t.equal(applyPatches('x/other.js', 'b()', [p]), 'b()', 'other files untouched')
  t.throws(() => applyPatches('x/a.js', 'a()', [p]), /x\/a\.js does not apply \(not found\).*because/)
  t.throws(() => applyPatches('x/a.js', 'b(); b()', [p]), /found more than once/)
  for (const patch of PATCHES) t.not(patch.find, patch.replace, `${patch.file}: changes something`)
})

/** The net layer and @libp2p/utils' decoder, bundled with the patches as scripts/bundle-agent.ts does. */
async function bundle (): Promise<{
  createMesh: typeof import('../../src/net/mesh.js').createMesh
  createJoinToken: typeof import('../../src/net/token.js').createJoinToken
  LengthPrefixedDecoder: typeof import('@libp2p/utils').LengthPrefixedDecoder
}> {
  const dir = `${root}/dist/test-bundles/${process.pid}`
  mkdirSync(dir, { recursive: true })
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const outfile = `${dir}/net.js`
  await build({
    ...agentBundleOptions(),
    stdin: {
      contents: "export { createMesh } from './dist/src/net/mesh.js'; export { createJoinToken } from './dist/src/net/token.js'; export { LengthPrefixedDecoder } from '@libp2p/utils'",
      resolveDir: root,
      loader: 'js',
    },
    outfile,
    logLevel: 'error',
  })
  return await import(pathToFileURL(outfile).href)
}

let built: ReturnType<typeof bundle> | undefined
/** Built once for the file's tests (each esbuild run of the net layer takes about half a second). */
const bundled = async (): ReturnType<typeof bundle> => await (built ??= bundle())

t.test('Noise\'s length-prefixed decoder, patched: same messages from any chunking, no length read of an empty buffer', async t => {
  const { LengthPrefixedDecoder } = await bundled()
  const seed = testSeed()
  t.comment(`seed ${seed} (replay: SEED=${seed})`)
  let s = seed
  const rand = (n: number): number => { s = (s * 1103515245 + 12345) % 2 ** 31; return s % n }
  const messages = Array.from({ length: 200 }, (_, i) => new Uint8Array(1 + rand(300)).fill(i & 0xff))
  const wire = Buffer.concat(messages.flatMap(m => [Buffer.from([m.length >> 8, m.length & 0xff]), Buffer.from(m)]))
  let emptyReads = 0
  const decoder = new LengthPrefixedDecoder({
    lengthDecoder: buf => {
      if (buf.byteLength === 0) emptyReads++
      if (buf.byteLength < 2) throw new RangeError('need 2 bytes')
      const head = buf.subarray(0, 2)
      return (head[0]! << 8) + head[1]!
    },
    encodingLength: () => 2,
  })
  const out: Buffer[] = []
  for (let at = 0; at < wire.length;) {
    const end = Math.min(wire.length, at + 1 + rand(700))
    for (const m of decoder.decode(wire.subarray(at, end))) out.push(Buffer.from(m.subarray()))
    at = end
  }
  t.same(out.map(b => [...b]), messages.map(m => [...m]), `seed ${seed}: all 200 messages, in order, intact`)
  t.equal(emptyReads, 0, `seed ${seed}: the length decoder was never called on an empty buffer`)
})

/** Forwards one TCP port to another and counts the bytes each way. */
async function countingProxy (t: Test, targetPort: number): Promise<{ port: number, up: () => number, down: () => number }> {
  let up = 0
  let down = 0
  const sockets: Socket[] = []
  const server = createServer(client => {
    const target = connect(targetPort, '127.0.0.1')
    sockets.push(client, target)
    client.on('data', d => { up += d.length; target.write(d) })
    target.on('data', d => { down += d.length; client.write(d) })
    const end = (): void => { client.destroy(); target.destroy() }
    client.on('error', end).on('close', end)
    target.on('error', end).on('close', end)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { for (const s of sockets) s.destroy(); server.close() })
  const port = (server.address() as { port: number }).port
  return { port, up: () => up, down: () => down }
}

t.test('yamux, patched: 2,000 Raft messages one at a time arrive in order, with a window update per half window, not per frame', async t => {
  const { createMesh, createJoinToken } = await bundled()
  const token = createJoinToken('test')
  const { generateKeyPair } = await import('@libp2p/crypto/keys')
  const start = async (): Promise<{ mesh: ReturnType<typeof createMesh>, inbox: Message[] }> => {
    const mesh = createMesh({ privateKey: await generateKeyPair('Ed25519'), token, listen: '/ip4/127.0.0.1/tcp/0', backoff: { initialMs: 20, maxMs: 200 }, rpcTimeoutMs: 3000 })
    const inbox: Message[] = []
    mesh.onMessage(m => { inbox.push(m) })
    await mesh.start()
    t.teardown(async () => { await mesh.stop() })
    return { mesh, inbox }
  }
  const a = await start()
  const b = await start()
  const bPort = Number(/\/tcp\/(\d+)/.exec(b.mesh.addresses()[0]!)![1])
  const proxy = await countingProxy(t, bPort)
  // a reaches b only through the proxy; b never dials a, so all b→a bytes are answers on a's connection.
  a.mesh.addPeer(b.mesh.peerId, [`/ip4/127.0.0.1/tcp/${proxy.port}/p2p/${b.mesh.peerId}`])
  await waitFor(() => a.mesh.status().some(s => s.connected), 'a connected to b')
  const downBefore = proxy.down()
  const upBefore = proxy.up()
  const N = 2000
  const entry = new Uint8Array(100).fill(7)
  for (let i = 1; i <= N; i++) {
    a.mesh.send([app(a.mesh.peerId, b.mesh.peerId, i, entry)])
    // One message per event-loop turn, so each leaves as its own yamux data frame.
    await new Promise(resolve => setImmediate(resolve))
    if (i % 100 === 0) await waitFor(() => b.inbox.length === i, `b received ${i}`)
  }
  await waitFor(() => b.inbox.length === N, `b received all ${N}`)
  t.same(b.inbox.map(m => m.type === 'app' ? m.entries[0]!.index : -1), Array.from({ length: N }, (_, i) => i + 1), 'every message, in order')
  const sent = proxy.up() - upBefore
  const answered = proxy.down() - downBefore
  t.ok(sent > N * 100, `a sent ${sent} bytes`)
  // Per frame, a window update would be 12 bytes of yamux + 18 of Noise: at least 60,000 bytes for 2,000 frames.
  t.ok(answered < 5_000, `b sent back ${answered} bytes while receiving ${sent} (window updates every half window)`)
})
