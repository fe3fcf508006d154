// Each checker is fed a hand-made history that breaks its property, and must report it;
// and a history that keeps it, and must stay quiet.
import t from 'tap'
import { Durability } from '../../../src/raft/sim/checks/durability.js'
import { ElectionSafety } from '../../../src/raft/sim/checks/election-safety.js'
import { HardStateSafety } from '../../../src/raft/sim/checks/hard-state.js'
import { LeaderCompleteness } from '../../../src/raft/sim/checks/leader-completeness.js'
import type { LogView } from '../../../src/raft/sim/checks/leader-completeness.js'
import { LinearizableReads } from '../../../src/raft/sim/checks/linearizable-reads.js'
import { Liveness } from '../../../src/raft/sim/checks/liveness.js'
import { LogMatching } from '../../../src/raft/sim/checks/log-matching.js'
import { StateMachineSafety } from '../../../src/raft/sim/checks/state-machine-safety.js'
import { chainHash, EMPTY_CHAIN } from '../../../src/raft/sim/hash.js'
import { LogChain } from '../../../src/raft/sim/log-chain.js'
import type { Entry } from '../../../src/raft/types.js'

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)
const entry = (index: number, term: number, data: string): Entry => ({ index, term, type: 'normal', data: bytes(data) })

function logView(entries: Array<[number, number]>, snapshotIndex = 0): LogView {
  const terms = new Map(entries)
  return { snapshotIndex, lastIndex: Math.max(snapshotIndex, ...terms.keys()), termAt: (i) => terms.get(i) }
}

t.test('election safety (§5.2): two leaders in one term are reported', async (t) => {
  const c = new ElectionSafety()
  t.equal(c.leaderElected('n1', 1), undefined)
  t.equal(c.leaderElected('n2', 2), undefined)
  t.equal(c.leaderElected('n1', 3), undefined)
  t.match(c.leaderElected('n3', 2), /two leaders in term 2: n2 and n3/)
})

t.test('log matching (§5.3): a divergent entry at the same index and term is reported', async (t) => {
  const c = new LogMatching()
  const a = new LogChain()
  const b = new LogChain()
  const held = (chain: LogChain, node: string, es: Entry[]): Array<string | undefined> => {
    const hs = chain.append(es)
    if (typeof hs === 'string') throw new Error(hs)
    return hs.map((h) => c.entryHeld(node, h.index, h.term, h.chain, h.entry))
  }
  t.same(held(a, 'n1', [entry(1, 1, 'x'), entry(2, 1, 'y')]), [undefined, undefined])
  t.same(held(b, 'n2', [entry(1, 1, 'x')]), [undefined], 'the same entry is fine')
  t.match(held(b, 'n2', [entry(2, 1, 'z')]), [/n1 and n2 hold different entries at index 2 term 1/])
})

t.test('log matching (§5.3): the same entry after different histories is reported', async (t) => {
  const c = new LogMatching()
  const e3 = entry(3, 2, 'same')
  const n1 = chainHash(chainHash(chainHash(EMPTY_CHAIN, entry(1, 1, 'a')), entry(2, 1, 'b')), e3)
  const n2 = chainHash(chainHash(chainHash(EMPTY_CHAIN, entry(1, 1, 'a')), entry(2, 1, 'c')), e3)
  const eh = chainHash(EMPTY_CHAIN, e3)
  t.equal(c.entryHeld('n1', 3, 2, n1, eh), undefined)
  t.match(c.entryHeld('n2', 3, 2, n2, eh), /logs differ before it/)
})

t.test('log chain: a gap in an append is reported, a conflicting suffix is truncated', async (t) => {
  const chain = new LogChain()
  t.type(chain.append([entry(1, 1, 'a'), entry(2, 1, 'b'), entry(3, 1, 'c')]), Array)
  t.type(chain.append([entry(2, 2, 'b2')]), Array)
  t.equal(chain.lastIndex, 2)
  t.match(chain.append([entry(5, 2, 'e')]), /entries from index 5 appended to a log ending at 2/)
  chain.reset(10, 1234)
  t.same(chain.append([entry(9, 1, 'old')]), [], 'entries covered by the snapshot are ignored')
  t.type(chain.append([entry(11, 3, 'k')]), Array)
})

t.test('leader completeness (§5.4.1): a leader missing a committed entry is reported', async (t) => {
  const c = new LeaderCompleteness()
  c.committed(1, 1, 1)
  c.committed(2, 1, 2)
  c.committed(3, 2, 2)
  t.match(c.leaderElected('n3', 3, logView([[1, 1], [2, 1]])), /n3 became leader of term 3 without index 3 \(term 2\)/)
  t.match(c.leaderElected('n3', 3, logView([[1, 1], [2, 1], [3, 3]])), /holds term 3 at 3/)
  t.equal(c.leaderElected('n2', 3, logView([[1, 1], [2, 1], [3, 2], [4, 3]])), undefined)
  t.equal(c.leaderElected('n2', 3, logView([[4, 3]], 3)), undefined, 'a snapshot covers it')
  t.equal(c.leaderElected('n4', 2, logView([[1, 1]])), undefined, 'index 2 and 3 may have been committed in term 2 itself')
  t.match(c.leaderElected('n4', 2, logView([])), /without index 1/)
})

t.test('state machine safety (§5.4.3): two nodes applying different entries at one index is reported', async (t) => {
  const c = new StateMachineSafety()
  t.equal(c.applied('n1', entry(1, 1, 'a')), undefined)
  t.equal(c.applied('n2', entry(1, 1, 'a')), undefined)
  t.equal(c.applied('n1', entry(2, 1, 'b')), undefined)
  t.match(c.applied('n2', entry(2, 2, 'c')), /n2 applied index 2 term 2, but n1 applied index 2 term 1/)
  t.match(c.applied('n1', entry(4, 1, 'd')), /n1 applied index 4 after index 2/)
  const n3 = new StateMachineSafety()
  t.equal(n3.applied('n1', entry(1, 1, 'a')), undefined)
  t.match(n3.applied('n1', entry(1, 1, 'a')), /applied index 1 after index 1/, 'applying twice is reported')
})

t.test('state machine safety: a snapshot whose history differs is reported', async (t) => {
  const c = new StateMachineSafety()
  c.applied('n1', entry(1, 1, 'a'))
  c.applied('n1', entry(2, 1, 'b'))
  const good = chainHash(chainHash(EMPTY_CHAIN, entry(1, 1, 'a')), entry(2, 1, 'b'))
  const bad = chainHash(chainHash(EMPTY_CHAIN, entry(1, 1, 'a')), entry(2, 1, 'X'))
  t.equal(c.restored('n2', 2, good), undefined)
  t.match(c.restored('n3', 2, bad), /whose history differs/)
  t.match(c.restored('n4', 7, good), /beyond anything ever applied/)
  t.match(c.restored('n2', 1, good), /below its applied index 2/)
})

t.test('durability: a lost acknowledged write is reported', async (t) => {
  const c = new Durability()
  t.equal(c.acknowledged('n1', 5, 2, 'w1'), undefined)
  t.equal(c.maxAckIndex, 5)
  t.equal(c.applied('n2', 5, 2, 'w1'), undefined)
  t.match(c.applied('n3', 5, 3, 'w9'), /acknowledged proposal lost: 'w1' was acknowledged at index 5 term 2 by n1, but n3 applied 'w9'/)
  t.match(c.acknowledged('n2', 5, 3, 'w9'), /index 5 acknowledged twice/)
  const have = new Set(['w0'])
  t.match(c.survivor('n4', (p) => have.has(p)), /'w1' \(index 5 term 2\) is missing from survivor n4/)
  have.add('w1')
  t.equal(c.survivor('n4', (p) => have.has(p)), undefined)
})

t.test('linearizable reads: a read served below an earlier acknowledged write is reported', async (t) => {
  const c = new LinearizableReads()
  c.issued('r1', 'n1', 10)
  c.issued('r2', 'n2', 10)
  t.equal(c.readState('n1', 'r1', 10), undefined)
  t.match(c.readState('n2', 'r2', 9), /stale read 'r2' on n2: served at index 9, but index 10/)
  t.equal(c.readState('n2', 'unknown', 0), undefined)
  c.issued('r3', 'n3', 4)
  c.abandon('n3')
  t.equal(c.readState('n3', 'r3', 0), undefined, 'an abandoned read is not checked')
  t.equal(c.served, 2)
})

t.test('liveness: no leader, or no commit, within the bound after the heal is reported', async (t) => {
  const c = new Liveness(100, 200)
  t.equal(c.check(1000), undefined, 'nothing is due before the heal')
  c.healed(1000)
  t.equal(c.check(1100), undefined)
  t.match(c.check(1101), /no leader elected within 100 ticks/)
  c.leaderSeen(1050)
  t.equal(c.check(1200), undefined)
  t.match(c.check(1201), /no proposal committed within 200 ticks/)
  c.committed(1150)
  t.equal(c.check(5000), undefined)
  t.same(c.latency, { leader: 50, commit: 150 })
})

t.test('persistent state (Figure 2): a second vote in a term, or a term or commit going back, is reported', async (t) => {
  const c = new HardStateSafety()
  t.equal(c.persisted('n1', { term: 2, vote: 'n2', commit: 0 }, 0), undefined)
  t.equal(c.persisted('n1', { term: 2, vote: 'n2', commit: 3 }, 3), undefined)
  t.match(c.persisted('n1', { term: 2, vote: 'n3', commit: 3 }, 3), /n1 voted twice in term 2: for n2, then for n3/)
  t.equal(c.persisted('n1', { term: 3, vote: '', commit: 3 }, 3), undefined)
  t.match(c.persisted('n1', { term: 2, vote: '', commit: 3 }, 3), /term went back from 3 to 2/)
  c.restarted('n2', { term: 4, vote: 'n2', commit: 5 })
  t.match(c.persisted('n2', { term: 4, vote: 'n2', commit: 4 }, 9), /commit index went back from 5 to 4/)
  t.match(c.persisted('n2', { term: 4, vote: 'n2', commit: 10 }, 9), /commit 10 beyond its last index 9/)
})
