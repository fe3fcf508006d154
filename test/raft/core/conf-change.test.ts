// Unit tests of one-at-a-time membership changes.
import t from 'tap'
import { encodeConfChange } from '../../../src/raft/codec.js'
import { applyConfChange, decodeConfEntry } from '../../../src/raft/conf-change.js'
import type { ConfChange, ConfState } from '../../../src/raft/types.js'

const conf = (voters: string[], learners: string[] = []): ConfState => ({ voters, learners })

t.test('applyConfChange returns a new configuration and never mutates', async (t) => {
  const before = conf(['a', 'b'], ['l'])
  const frozen = JSON.stringify(before)
  const cases: Array<[ConfChange, ConfState]> = [
    [{ type: 'addVoter', node: 'c' }, conf(['a', 'b', 'c'], ['l'])],
    [{ type: 'addVoter', node: 'l' }, conf(['a', 'b', 'l'], [])],
    [{ type: 'addLearner', node: 'm' }, conf(['a', 'b'], ['l', 'm'])],
    [{ type: 'addLearner', node: 'b' }, conf(['a'], ['l', 'b'])],
    [{ type: 'remove', node: 'a' }, conf(['b'], ['l'])],
    [{ type: 'remove', node: 'l' }, conf(['a', 'b'], [])],
  ]
  for (const [cc, want] of cases) t.same(applyConfChange(before, cc), { ok: true, conf: want }, `${cc.type} ${cc.node}`)
  t.equal(JSON.stringify(before), frozen)
})

t.test('applyConfChange refusals', async (t) => {
  const c = conf(['a'], ['l'])
  t.same(applyConfChange(c, { type: 'addVoter', node: 'a' }), { ok: false, reason: 'noop' })
  t.same(applyConfChange(c, { type: 'addLearner', node: 'l' }), { ok: false, reason: 'noop' })
  t.same(applyConfChange(c, { type: 'remove', node: 'x' }), { ok: false, reason: 'unknownNode' })
  t.same(applyConfChange(c, { type: 'remove', node: 'a' }), { ok: false, reason: 'noVoters' })
  t.same(applyConfChange(c, { type: 'addLearner', node: 'a' }), { ok: false, reason: 'noVoters' })
  t.same(applyConfChange(c, { type: 'addVoter', node: '' }), { ok: false, reason: 'malformed' })
  t.same(applyConfChange(c, { type: 'bogus', node: 'x' } as unknown as ConfChange), { ok: false, reason: 'malformed' })
})

t.test('decodeConfEntry round-trips and rejects garbage', async (t) => {
  t.same(decodeConfEntry(encodeConfChange({ type: 'addVoter', node: 'n1' })), { type: 'addVoter', node: 'n1' })
  t.equal(decodeConfEntry(new Uint8Array([0xc1])), undefined)
  t.equal(decodeConfEntry(new Uint8Array()), undefined)
})
