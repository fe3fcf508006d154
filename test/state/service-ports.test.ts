// Cluster ports of Services are assigned by the state machine: the same log gives every node the same
// numbers, re-applies keep them, and a taken nodePort is refused without changing anything.
import t from 'tap'
import { encode } from '../../src/raft/codec.js'
import type { Entry } from '../../src/raft/types.js'
import type { PutOp, WriteCommand } from '../../src/state/commands.js'
import { ClusterState } from '../../src/state/cluster-state.js'
import { CLUSTER_PORT_MAX, CLUSTER_PORT_MIN, clusterPortsOf } from '../../src/state/service-ports.js'

type Port = { name?: string; port: number; targetPort?: number; nodePort?: number }
const svc = (name: string, type: 'ClusterIP' | 'NodePort', ports: Port[]): PutOp => ({
  op: 'put', kind: 'Service', namespace: 'default', name, uid: `uid-${name}`, keepStatus: true,
  object: { metadata: { name, namespace: 'default' }, spec: { type, selector: { app: name }, ports: ports.map((p) => ({ protocol: 'TCP', targetPort: p.port, ...p })), sessionAffinity: 'None' } },
})
const write = (index: number, ...ops: WriteCommand['ops']): Entry => ({ index, term: 1, type: 'normal', data: encode({ type: 'write', ops, time: '2026-01-01T00:00:00Z' } satisfies WriteCommand) })
const ports = (s: ClusterState, name: string) => clusterPortsOf(s.store.get({ kind: 'Service', namespace: 'default', name })!.object).map((c) => c.clusterPort)

t.test('every node applying the same log assigns the same ports, all distinct and in range', async (t) => {
  const log: Entry[] = []
  for (let i = 0; i < 40; i++) log.push(write(i + 1, svc(`s${i}`, i % 2 ? 'NodePort' : 'ClusterIP', [{ name: 'a', port: 80 }, { name: 'b', port: 443 }])))
  const one = new ClusterState()
  const two = new ClusterState()
  one.apply(log)
  for (const e of log) two.apply([e])
  const all: number[] = []
  for (let i = 0; i < 40; i++) {
    t.same(ports(one, `s${i}`), ports(two, `s${i}`))
    all.push(...ports(one, `s${i}`))
  }
  t.equal(new Set(all).size, 80, 'no port given twice')
  t.ok(all.every((p) => p >= CLUSTER_PORT_MIN && p <= CLUSTER_PORT_MAX))
})

t.test('a NodePort service gets its nodePort written into the spec; a re-apply keeps it and is unchanged', async (t) => {
  const s = new ClusterState()
  s.apply([write(1, svc('web', 'NodePort', [{ port: 80 }]))])
  const np = (s.store.get({ kind: 'Service', namespace: 'default', name: 'web' })!.object.spec as { ports: Port[] }).ports[0]!.nodePort
  t.ok(np !== undefined && np >= CLUSTER_PORT_MIN)
  s.apply([write(2, svc('web', 'NodePort', [{ port: 80 }]))])
  t.same(s.takeOutcome(2), { ok: true, results: ['unchanged'] })
  t.same(ports(s, 'web'), [np])
  t.same(s.store.preview([svc('web', 'NodePort', [{ port: 80 }])]), { ok: true, results: ['unchanged'] })
})

t.test('a ClusterIP service keeps its ports in status; changing its type keeps the number', async (t) => {
  const s = new ClusterState()
  s.apply([write(1, svc('db', 'ClusterIP', [{ name: 'pg', port: 5432 }]))])
  const stored = s.store.get({ kind: 'Service', namespace: 'default', name: 'db' })!.object
  const [before] = ports(s, 'db')
  t.same((stored.status as { clusterPorts: unknown }).clusterPorts, [{ name: 'pg', port: 5432, clusterPort: before }])
  s.apply([write(2, svc('db', 'NodePort', [{ name: 'pg', port: 5432 }]))])
  t.same(ports(s, 'db'), [before])
  t.equal(s.store.get({ kind: 'Service', namespace: 'default', name: 'db' })!.object.status, undefined)
})

t.test('a nodePort used by another service is refused, atomically, with a reason', async (t) => {
  const s = new ClusterState()
  s.apply([write(1, svc('a', 'NodePort', [{ port: 80, nodePort: 30080 }]))])
  s.apply([write(2, svc('b', 'NodePort', [{ port: 80 }]), svc('c', 'NodePort', [{ port: 80, nodePort: 30080 }]))])
  const out = s.takeOutcome(2)
  t.equal(out?.ok, false)
  t.equal(out && !out.ok && out.reason, 'invalid')
  t.match(out && !out.ok && out.message, /nodePort 30080 is already used/)
  t.equal(s.store.get({ kind: 'Service', namespace: 'default', name: 'b' }), undefined, 'the other op of the write was not applied')
  // Deleting the holder frees its port in the same write.
  s.apply([write(3, { op: 'delete', kind: 'Service', namespace: 'default', name: 'a' }, svc('c', 'NodePort', [{ port: 80, nodePort: 30080 }]))])
  t.same(ports(s, 'c'), [30080])
})

t.test('an assigned port someone else requested explicitly moves instead of colliding', async (t) => {
  const s = new ClusterState()
  s.apply([write(1, svc('x', 'ClusterIP', [{ port: 80 }]))])
  const [held] = ports(s, 'x')
  s.apply([write(2, svc('y', 'NodePort', [{ port: 80, nodePort: held! }]))])
  t.equal(s.takeOutcome(2)?.ok, false, 'a port held by a ClusterIP service is taken too')
  t.same(ports(s, 'x'), [held])
})
