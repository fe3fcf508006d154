// §5.4.1 Election restriction.
import t from 'tap'
import { ABC, Cluster, Solo, entriesOfTerms, ofType, storageWith, voteReq } from './harness.js'

t.test('§5.4.1 the voter denies its vote if its own log is more up-to-date than that of the candidate (last term first, then length)', async (t) => {
  const cases: Array<{ voter: number[]; lastTerm: number; lastIndex: number; reject: boolean; why: string }> = [
    { voter: [1], lastTerm: 1, lastIndex: 1, reject: false, why: 'same last term, same length' },
    { voter: [1], lastTerm: 1, lastIndex: 2, reject: false, why: 'same last term, candidate longer' },
    { voter: [1, 1], lastTerm: 1, lastIndex: 1, reject: true, why: 'same last term, voter longer' },
    { voter: [1], lastTerm: 2, lastIndex: 1, reject: false, why: 'candidate has the higher last term' },
    { voter: [1], lastTerm: 2, lastIndex: 2, reject: false, why: 'candidate has the higher last term, longer' },
    { voter: [1, 1], lastTerm: 2, lastIndex: 1, reject: false, why: 'a higher last term beats a longer log' },
    { voter: [2], lastTerm: 1, lastIndex: 1, reject: true, why: 'voter has the higher last term' },
    { voter: [2], lastTerm: 1, lastIndex: 2, reject: true, why: 'voter has the higher last term, candidate longer' },
    { voter: [1, 2], lastTerm: 2, lastIndex: 1, reject: true, why: 'same last term, voter longer' },
  ]
  for (const c of cases) {
    const s = new Solo('b', storageWith(ABC, entriesOfTerms(c.voter), { term: 2, vote: '', commit: 0 }))
    const out = ofType(s.step(voteReq('a', 'b', 3, c.lastIndex, c.lastTerm)), 'voteResp')
    t.equal(out.length, 1, `${c.why}: one answer`)
    t.equal(out[0]?.reject, c.reject, `${c.why}: reject=${c.reject}`)
    t.equal(s.status().vote, c.reject ? '' : 'a', `${c.why}: vote recorded only when granted`)
    t.equal(s.status().term, 3, `${c.why}: the voter moved to the candidate's term either way`)
  }
})

t.test('§5.4.1 a candidate whose log lacks committed entries cannot be elected', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 11 })
  c.elect('a')
  const heal = c.isolate('c')
  const x = c.propose('a', 'x')
  t.equal(c.peer('a').commit, x.index, 'x committed by a and b')
  heal()
  c.peer('c').node.campaign()
  c.stabilize()
  t.not(c.peer('c').role, 'leader', 'c, missing x, is refused')
  const ticks = c.tickUntil(() => c.leader() !== undefined, 60)
  const lead = c.leader()
  t.ok(ticks >= 0 && lead !== undefined, 'a leader is elected eventually')
  t.ok(lead?.log().some((e) => e.index === x.index && e.term === x.term), `the leader (${lead?.id}) holds the committed entry`)
})
