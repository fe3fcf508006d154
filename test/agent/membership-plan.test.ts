import t from 'tap'
import { planMembershipChange, targetVoters, type MemberHealth } from '../../src/agent/membership-plan.js'

const healthy = (id: string, role: 'voter' | 'learner'): MemberHealth => ({ id, role, silentForMs: 100, caughtUp: true })
const lost = (id: string, role: 'voter' | 'learner'): MemberHealth => ({ id, role, silentForMs: 60_000, caughtUp: false })
const plan = (members: MemberHealth[]) =>
  planMembershipChange({ leader: 'a', members: [{ ...healthy('a', 'voter'), silentForMs: 0 }, ...members], graceMs: 30_000, healthyWithinMs: 2_000 })

t.test('target voters: 1 for 1-2 nodes, 3 for 3-4, 5 for 5 or more', async (t) => {
  t.same([1, 2, 3, 4, 5, 6, 9].map(targetVoters), [1, 1, 3, 3, 5, 5, 5])
})

t.test('a second node stays a learner; a third node makes both learners voters, one at a time', async (t) => {
  t.equal(plan([healthy('b', 'learner')]), undefined)
  t.same(plan([healthy('b', 'learner'), healthy('c', 'learner')]), { type: 'addVoter', node: 'b' })
  t.same(plan([healthy('b', 'voter'), healthy('c', 'learner')]), { type: 'addVoter', node: 'c' })
  t.equal(plan([healthy('b', 'voter'), healthy('c', 'voter')]), undefined)
})

t.test('the fourth node stays a learner; the fifth makes five voters; the sixth stays a learner', async (t) => {
  t.equal(plan([healthy('b', 'voter'), healthy('c', 'voter'), healthy('d', 'learner')]), undefined)
  t.same(plan([healthy('b', 'voter'), healthy('c', 'voter'), healthy('d', 'learner'), healthy('e', 'learner')]), { type: 'addVoter', node: 'd' })
  const five = ['b', 'c', 'd', 'e'].map((id) => healthy(id, 'voter'))
  t.equal(plan([...five, healthy('f', 'learner')]), undefined)
})

t.test('a learner that is behind or silent is not promoted', async (t) => {
  t.equal(plan([healthy('b', 'voter'), { ...healthy('c', 'learner'), caughtUp: false }]), undefined)
  t.equal(plan([healthy('b', 'voter'), { ...healthy('c', 'learner'), silentForMs: 5_000 }]), undefined)
})

t.test('a voter lost past the grace period is replaced: promote the healthy learner, then demote the lost voter', async (t) => {
  t.same(plan([healthy('b', 'voter'), lost('c', 'voter'), healthy('d', 'learner')]), { type: 'addVoter', node: 'd' })
  t.same(plan([healthy('b', 'voter'), lost('c', 'voter'), healthy('d', 'voter')]), { type: 'addLearner', node: 'c' })
})

t.test('a voter silent for less than the grace period is kept', async (t) => {
  const briefly = { ...healthy('c', 'voter'), silentForMs: 10_000 }
  t.equal(plan([healthy('b', 'voter'), briefly, healthy('d', 'learner')]), undefined)
})

t.test('without a healthy learner a lost voter stays: demoting it would only shrink the quorum', async (t) => {
  t.equal(plan([healthy('b', 'voter'), lost('c', 'voter')]), undefined)
})

t.test('never demotes when the remaining configuration would lack a live quorum', async (t) => {
  // 4 voters, 2 lost, 1 node would remain surplus: demoting a lost one leaves {a, b, lost} with 2 of 3 live: fine.
  t.same(plan([healthy('b', 'voter'), lost('c', 'voter'), lost('d', 'voter')]), { type: 'addLearner', node: 'd' })
  // 2 voters left of which one lost: demoting the healthy one would leave only the lost one.
  t.equal(
    planMembershipChange({ leader: 'a', members: [lost('a', 'voter'), healthy('b', 'voter')], graceMs: 30_000, healthyWithinMs: 2_000 }),
    undefined,
  )
})

t.test('after a member leaves five, the surplus voter is demoted, never the leader', async (t) => {
  const change = plan([healthy('b', 'voter'), healthy('c', 'voter'), healthy('d', 'voter')])
  t.equal(change?.type, 'addLearner')
  t.not(change?.node, 'a')
})
