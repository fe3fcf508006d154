// §5.4.2 Committing entries from previous terms, and Figure 8 reproduced step by step.
import t from 'tap'
import { ABC, type TapTest, Cluster, MemoryStorage, PAPER, Solo, appResp, bytes, entriesOfTerms, storageWith, voteResp } from './harness.js'
import type { Message } from '../../../src/raft/types.js'

t.test('§5.4.2 Raft never commits log entries from previous terms by counting replicas', async (t) => {
  // a's log holds entries of term 1 and 2; it becomes leader of term 3 and appends its no-op at 3.
  const s = new Solo('a', storageWith(ABC, entriesOfTerms([1, 2]), { term: 2, vote: '', commit: 0 }))
  s.node.campaign()
  s.drain()
  s.step(voteResp('b', 'a', 3))
  t.equal(s.status().role, 'leader')
  s.step(appResp('b', 'a', 3, 2))
  t.equal(s.status().progress?.get('b')?.match, 2, 'b is known to hold entries 1..2: a majority with a')
  t.equal(s.status().commit, 0, 'yet entry 2 (term 2) is not committed')
  s.step(appResp('b', 'a', 3, 3))
  t.equal(s.status().commit, 3, 'committing the current term\'s entry commits the earlier ones indirectly')
})

// Figure 8 with five servers. Real terms differ from the figure's (each election here adds a no-op and
// a lost election bumps the term), but every step is the figure's. Appends carry one entry each
// (maxSizePerMsg 1) so that the network can carry entry 2 without entry 3.
const S = ['s1', 's2', 's3', 's4', 's5']
const OPTS = { ...PAPER, maxSizePerMsg: 1 }
const isApp = (m: Message, from: string): boolean => m.type === 'app' && m.from === from

function has(c: Cluster, id: string, index: number, term: number): boolean {
  return c.peer(id).log().some((e) => e.index === index && e.term === term)
}

function appliedAnywhere(c: Cluster, index: number, term: number): string[] {
  return [...c.peers.values()].filter((p) => p.applied.some((e) => e.index === index && e.term === term)).map((p) => p.id)
}

/** Runs Figure 8 (a)-(c); returns the cluster and the position of the entry S1 created in (a). */
function upToC(t: TapTest): { c: Cluster; e2: { index: number; term: number } } {
  const c = new Cluster(S, { seed: 8, options: OPTS })
  c.elect('s1')
  t.ok(S.every((id) => c.peer(id).commit === 1), 'start: s1 leads and its no-op (1) is committed everywhere')

  // (a) S1 is leader and partially replicates the entry at index 2 (to S2 only).
  const onlyS2 = c.filter((m) => (m.from === 's1' && m.to !== 's2' && m.to !== 's1' ? 'drop' : undefined))
  const e2 = c.propose('s1', 'fig8')
  onlyS2()
  t.ok(has(c, 's2', e2.index, e2.term) && !has(c, 's3', e2.index, e2.term), '(a) entry 2 is on S1 and S2 only')
  t.equal(c.peer('s1').commit, 1, '(a) not committed: 2 of 5')

  // (b) S1 crashes; S5 is elected with votes from S3, S4 and itself, and accepts a different entry at index 2.
  c.crash('s1')
  const mute = c.filter((m) => (isApp(m, 's5') || (m.type === 'heartbeat' && m.from === 's5') ? 'drop' : undefined))
  c.elect('s5')
  t.equal(c.peer('s5').role, 'leader', '(b) S5 elected')
  const s5e2 = c.peer('s5').log().find((e) => e.index === e2.index)
  t.ok(s5e2 !== undefined && s5e2.term > e2.term, `(b) S5 holds its own entry at index 2 (term ${s5e2?.term})`)
  c.crash('s5')
  mute()

  // (c) S5 crashes; S1 restarts, is elected, and continues replication: entry 2 reaches S3 (and S4), entry 3 of
  // S1's new term reaches no one. S2 also holds entry 2 since (a), but its acknowledgement would ride with entry 3.
  const wouldAccept = (m: Message): boolean =>
    m.type === 'app' && m.entries.some((e) => e.index > e2.index) && has(c, m.to, m.prevIndex, m.prevTerm)
  c.filter((m) => (wouldAccept(m) ? 'hold' : undefined))
  c.restart('s1')
  c.elect('s1')
  const s1 = c.peer('s1')
  t.equal(s1.role, 'leader', `(c) S1 elected again (term ${s1.term})`)
  t.ok(['s1', 's3', 's4'].every((id) => has(c, id, e2.index, e2.term)), '(c) entry 2 is stored on a majority')
  const acked = ['s3', 's4'].filter((id) => (s1.status().progress?.get(id)?.match ?? 0) >= e2.index)
  t.same(acked, ['s3', 's4'], '(c) and S1 knows it: S3 and S4 acknowledged it')
  t.ok(c.held.length > 0, '(c) entry 3 of the new term is in flight, not delivered')
  return { c, e2 }
}

t.test('§5.4.2 Figure 8 (a)-(d): an entry of a previous term stored on a majority can still be overwritten', async (t) => {
  const { c, e2 } = upToC(t)
  t.equal(c.peer('s1').commit, 1, '(c) S1 does not commit entry 2 by counting replicas')
  t.same(appliedAnywhere(c, e2.index, e2.term), [], '(c) no server applied it')

  // (d) S1 crashes; S5 restarts and is elected with votes from S2, S3, S4; it overwrites entry 2 everywhere.
  c.discardHeld()
  c.heal()
  c.crash('s1')
  c.restart('s5')
  c.elect('s5')
  const s5 = c.peer('s5')
  t.equal(s5.role, 'leader', `(d) S5 elected (term ${s5.term})`)
  const s5term = s5.log().find((e) => e.index === e2.index)?.term
  for (const id of ['s2', 's3', 's4']) {
    t.equal(c.peer(id).log().find((e) => e.index === e2.index)?.term, s5term, `(d) ${id}'s entry 2 replaced by S5's`)
  }
  t.ok(s5.commit >= e2.index, '(d) S5 commits its own entry 2 with its current-term no-op')
  t.same(appliedAnywhere(c, e2.index, e2.term), [], '(d) the overwritten entry was never applied: safety holds')
})

t.test('§5.4.2 Figure 8 (e): once S1 replicates an entry of its current term to a majority, entry 2 is committed and S5 cannot win', async (t) => {
  const { c, e2 } = upToC(t)
  c.heal()
  c.releaseHeld()
  c.stabilize()
  const s1 = c.peer('s1')
  t.ok(s1.commit >= e2.index + 1, `(e) S1 commits entry 3 of its term (commit ${s1.commit})`)
  t.ok(s1.applied.some((e) => e.index === e2.index && e.term === e2.term), '(e) and with it entry 2')

  c.crash('s1')
  c.restart('s5')
  c.elect('s5', 3)
  t.not(c.peer('s5').role, 'leader', '(e) S5 cannot be elected: a majority holds a more up-to-date log')
  t.ok(c.tickUntil(() => c.leader() !== undefined, 100) > 0, '(e) another server is elected')
  const lead = c.leader()
  t.ok(lead !== undefined && has(c, lead.id, e2.index, e2.term), `(e) the new leader ${lead?.id} keeps entry 2`)
})

t.test('§5.4.2 the no-op a leader appends lets it commit earlier entries without waiting for a client', async (t) => {
  const s = new Solo('a', new MemoryStorage(ABC))
  s.node.campaign()
  s.drain()
  s.step(voteResp('b', 'a', 1))
  t.ok(s.node.propose(bytes('x')).ok)
  s.drain()
  s.step(appResp('b', 'a', 1, 2))
  t.equal(s.status().commit, 2, 'no-op (1) and x (2) committed together')
})
