import t from 'tap'
import { encode, encodeConfChange } from '../../src/raft/codec.js'
import type { Entry } from '../../src/raft/types.js'
import type { Command, PutOp, WriteCommand } from '../../src/state/commands.js'
import { ClusterState } from '../../src/state/cluster-state.js'

const put = (name: string, data: Record<string, unknown>, ifVersion?: number): PutOp => ({
  op: 'put', kind: 'ConfigMap', namespace: 'default', name, uid: `uid-${name}`, object: { data }, ...(ifVersion === undefined ? {} : { ifVersion }),
})
const entry = (index: number, cmd: Command): Entry => ({ index, term: 1, type: 'normal', data: encode(cmd) })
const write = (index: number, ...ops: WriteCommand['ops']): Entry => entry(index, { type: 'write', ops, time: '2026-01-01T00:00:00Z' })

t.test('puts create, then configure or leave unchanged; resourceVersion is the log index', async (t) => {
  const s = new ClusterState()
  s.apply([write(3, put('a', { x: '1' }))])
  t.same(s.takeOutcome(3), { ok: true, results: ['created'] })
  s.apply([write(4, put('a', { x: '1' }))])
  t.same(s.takeOutcome(4), { ok: true, results: ['unchanged'] })
  s.apply([write(5, put('a', { x: '2' }))])
  t.same(s.takeOutcome(5), { ok: true, results: ['configured'] })
  const a = s.store.get({ kind: 'ConfigMap', namespace: 'default', name: 'a' })
  t.equal(a?.resourceVersion, 5)
  t.equal(a?.uid, 'uid-a')
  t.equal(s.applied, 5)
})

t.test('compare-and-set: a stale resourceVersion is refused and changes nothing', async (t) => {
  const s = new ClusterState()
  s.apply([write(1, put('a', { v: '1' }))])
  s.apply([write(2, put('a', { v: '2' }, 1))])
  t.same(s.takeOutcome(2), { ok: true, results: ['configured'] })
  s.apply([write(3, put('a', { v: '3' }, 1))])
  const refused = s.takeOutcome(3)
  t.equal(refused?.ok, false)
  t.equal(refused && !refused.ok && refused.currentVersion, 2)
  t.same(s.store.get({ kind: 'ConfigMap', namespace: 'default', name: 'a' })?.object, { data: { v: '2' } })
})

t.test('a multi-object write is atomic: one refused op refuses them all', async (t) => {
  const s = new ClusterState()
  s.apply([write(1, put('a', { v: '1' }))])
  s.apply([write(2, put('b', { v: '1' }), put('a', { v: 'x' }, 7))])
  t.equal(s.takeOutcome(2)?.ok, false)
  t.equal(s.store.get({ kind: 'ConfigMap', namespace: 'default', name: 'b' }), undefined)
})

t.test('members come from conf changes and their context', async (t) => {
  const s = new ClusterState()
  const info = { name: 'node-1', addrs: ['/ip4/127.0.0.1/tcp/7000'], api: '127.0.0.1:7070' }
  s.apply([{ index: 1, term: 1, type: 'conf', data: encodeConfChange({ type: 'addVoter', node: 'p1', context: encode(info) }) }])
  s.apply([{ index: 2, term: 1, type: 'conf', data: encodeConfChange({ type: 'addLearner', node: 'p2', context: encode({ ...info, name: 'node-2' }) }) }])
  t.same(s.members.all().map((m) => m.name), ['node-1', 'node-2'])
  s.apply([{ index: 3, term: 1, type: 'conf', data: encodeConfChange({ type: 'remove', node: 'p2' }) }])
  t.same(s.members.all().map((m) => m.id), ['p1'])
})

t.test('a snapshot restores the same state on another node', async (t) => {
  const s = new ClusterState()
  s.apply([write(1, put('a', { v: '1' }), put('b', { v: '2' }))])
  const copy = new ClusterState()
  copy.restore(s.snapshot(), 1)
  t.same(copy.store.toSnapshot(), s.store.toSnapshot())
  t.equal(copy.applied, 1)
})

t.test('listeners see every change in order', async (t) => {
  const s = new ClusterState()
  const seen: string[] = []
  s.onChange((cs) => seen.push(...cs.map((c) => `${c.type} ${c.object.name}@${c.index}`)))
  s.apply([write(1, put('a', { v: '1' })), write(2, put('a', { v: '2' })), write(3, { op: 'delete', kind: 'ConfigMap', namespace: 'default', name: 'a' })])
  t.same(seen, ['ADDED a@1', 'MODIFIED a@2', 'DELETED a@3'])
})
