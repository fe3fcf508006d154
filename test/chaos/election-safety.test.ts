// Election Safety from the nodes' logs: one leader per term passes; two leaders of one term (what a
// restarted bootstrap node with a stale commit index did) is a violation naming the term and the nodes.
import t from 'tap'
import { checkElectionSafety, leaderClaims } from '../../src/chaos/election-safety.js'

const line = (o: Record<string, unknown>) => JSON.stringify({ level: 30, time: 1, msg: `leader is now ${String(o.leader)}`, ...o })

t.test('only the lines where a node became leader count', async (t) => {
  const text = [
    line({ leader: 'id-a', role: 'leader', term: 2 }),
    line({ leader: 'id-b', role: 'follower', term: 3 }),
    line({ leader: '', role: 'preCandidate', term: 3 }),
    '{"level":30,"msg":"mesh started"}',
    'not json at all',
    line({ leader: 'id-a', role: 'leader', term: 4 }),
  ].join('\n')
  t.same(leaderClaims(text, 'n1'), [{ term: 2, id: 'id-a', log: 'n1' }, { term: 4, id: 'id-a', log: 'n1' }])
})

t.test('one leader per term passes, restarts that lead again in a later term included', async (t) => {
  const v = checkElectionSafety([{ term: 2, id: 'a', log: 'n1' }, { term: 3, id: 'b', log: 'n2' }, { term: 3, id: 'b', log: 'n2' }, { term: 5, id: 'a', log: 'n1' }])
  t.equal(v.result, 'ok')
  t.same(v.summary, { leaderships: 4, terms: 3, termsWithTwoLeaders: [] })
})

t.test('two leaders of one term are a violation', async (t) => {
  const v = checkElectionSafety([{ term: 2, id: 'a', log: 'n1' }, { term: 3, id: 'b', log: 'n2' }, { term: 3, id: 'a', log: 'n1' }])
  t.equal(v.result, 'violation')
  t.same(v.summary.termsWithTwoLeaders, [3])
  t.match(v.text[0], /^term 3 had 2 leaders: n2 \(b\), n1 \(a\)$/)
})
