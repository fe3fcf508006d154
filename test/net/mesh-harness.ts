// Real meshes on 127.0.0.1 ephemeral ports, torn down with the test.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { createMesh } from '../../src/net/mesh.js'
import { createJoinToken } from '../../src/net/token.js'
import type { Mesh, MeshOptions } from '../../src/net/mesh.js'
import type { JoinToken } from '../../src/net/token.js'
import type { Message } from '../../src/raft/types.js'
import type { PrivateKey } from '@libp2p/interface'
import type { Test } from 'tap'

export interface TestMesh {
  mesh: Mesh
  key: PrivateKey
  inbox: Message[]
  port: () => number
}

export async function startMesh (t: Test, token: JoinToken, over: Partial<MeshOptions> = {}): Promise<TestMesh> {
  const key = over.privateKey ?? await generateKeyPair('Ed25519')
  const mesh = createMesh({ privateKey: key, token, listen: '/ip4/127.0.0.1/tcp/0', backoff: { initialMs: 20, maxMs: 200 }, rpcTimeoutMs: 3000, ...over })
  const inbox: Message[] = []
  mesh.onMessage(m => { inbox.push(m) })
  await mesh.start()
  t.teardown(async () => { await mesh.stop() })
  const port = (): number => Number(/\/tcp\/(\d+)/.exec(mesh.addresses()[0] ?? '')?.[1])
  return { mesh, key, inbox, port }
}

/** n meshes of one cluster, each knowing all the others. */
export async function startCluster (t: Test, n: number, over: Partial<MeshOptions> = {}): Promise<TestMesh[]> {
  const token = createJoinToken('test')
  const nodes: TestMesh[] = []
  for (let i = 0; i < n; i++) nodes.push(await startMesh(t, token, over))
  for (const a of nodes) {
    for (const b of nodes) if (a !== b) a.mesh.addPeer(b.mesh.peerId, b.mesh.addresses())
  }
  return nodes
}
