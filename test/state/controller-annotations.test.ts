// A user's write keeps what the controllers wrote: re-applying a Deployment's manifest after the
// controller stamped its revision annotation is "unchanged", and the annotation stays.
import t from 'tap'
import { encode } from '../../src/raft/codec.js'
import type { Entry } from '../../src/raft/types.js'
import type { PutOp, WriteCommand } from '../../src/state/commands.js'
import { ClusterState } from '../../src/state/cluster-state.js'

const REVISION = 'deployment.kubernetes.io/revision'
const deploy = (annotations: Record<string, string> | undefined, keepStatus: boolean): PutOp => ({
  op: 'put', kind: 'Deployment', namespace: 'default', name: 'web', uid: 'uid-web', keepStatus,
  object: { metadata: { name: 'web', namespace: 'default', ...(annotations ? { annotations } : {}) }, spec: { replicas: 2 } },
})
const write = (index: number, ...ops: WriteCommand['ops']): Entry => ({ index, term: 1, type: 'normal', data: encode({ type: 'write', ops, time: '2026-01-01T00:00:00Z' } satisfies WriteCommand) })
const annotationsOf = (s: ClusterState) => (s.store.get({ kind: 'Deployment', namespace: 'default', name: 'web' })!.object.metadata as { annotations?: Record<string, string> }).annotations

t.test("a re-apply keeps the controller's revision annotation and is unchanged", async (t) => {
  const s = new ClusterState()
  s.apply([write(1, deploy({ team: 'a' }, true))])
  // The controller writes the object as a whole (no keepStatus), with its annotation.
  s.apply([write(2, deploy({ team: 'a', [REVISION]: '3' }, false))])
  t.same(s.store.preview([deploy({ team: 'a' }, true)]), { ok: true, results: ['unchanged'] })
  s.apply([write(3, deploy({ team: 'a' }, true))])
  t.same(s.takeOutcome(3), { ok: true, results: ['unchanged'] })
  t.same(annotationsOf(s), { team: 'a', [REVISION]: '3' })
})

t.test("the user's own annotations still change, and a manifest without any keeps only the controller's", async (t) => {
  const s = new ClusterState()
  s.apply([write(1, deploy({ team: 'a', [REVISION]: '1' }, false))])
  s.apply([write(2, deploy(undefined, true))])
  t.same(s.takeOutcome(2), { ok: true, results: ['configured'] })
  t.same(annotationsOf(s), { [REVISION]: '1' })
})
