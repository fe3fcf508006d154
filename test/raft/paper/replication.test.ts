// §5.3 Log replication.
import t from 'tap'
import { ABC, ABCDE, Cluster, MemoryStorage, Solo, app, appResp, bytes, ent, entriesOfTerms, ids, ofType, storageWith, text, voteResp } from './harness.js'
import type { ConfState } from '../../../src/raft/types.js'

/** A leader of term 1 whose no-op (index 1) every follower has acknowledged. */
function leader(conf: ConfState = ABC): Solo {
  const s = new Solo('a', new MemoryStorage(conf))
  s.node.campaign()
  s.drain()
  const others = conf.voters.filter((v) => v !== 'a')
  for (const v of others) s.step(voteResp(v, 'a', 1))
  for (const v of others) s.step(appResp(v, 'a', 1, 1))
  return s
}

t.test('§5.3 upon election, a leader appends a no-op entry of its own term and sends it to every follower', async (t) => {
  const s = new Solo('a', storageWith(ABC, entriesOfTerms([1, 1]), { term: 1, vote: '', commit: 0 }))
  s.node.campaign()
  s.drain()
  const out = s.step(voteResp('b', 'a', 2))
  t.equal(s.status().role, 'leader')
  const last = s.peer.log().at(-1)
  t.equal(last?.index, 3, 'appended after the existing log')
  t.equal(last?.term, 2, 'in the leader\'s term')
  t.equal(last?.data.length, 0, 'carrying no command')
  t.same(ofType(out, 'app').map((m) => m.to).sort(), ['b', 'c'], 'AppendEntries to every follower')
})

t.test('§5.3 the leader appends the command to its log as a new entry, then issues AppendEntries in parallel to each of the other servers', async (t) => {
  const s = leader()
  s.drain()
  const r = s.node.propose(bytes('x'))
  t.same(r, { ok: true, index: 2, term: 1 }, 'accepted as entry (2, 1)')
  const out = ofType(s.drain(), 'app')
  t.same(ids(s.peer.log()), ['1:1', '2:1'], 'appended to the leader\'s own log')
  t.same(out.map((m) => m.to).sort(), ['b', 'c'])
  for (const m of out) {
    t.equal(m.prevIndex, 1, `to ${m.to}: prevIndex`)
    t.equal(m.prevTerm, 1, `to ${m.to}: prevTerm`)
    t.same(m.entries.map((e) => text(e.data)), ['x'], `to ${m.to}: the new entry`)
    t.equal(m.commit, 1, `to ${m.to}: the leader's commit index`)
  }
})

t.test('§5.3 a log entry is committed once the leader that created it has replicated it on a majority of the servers', async (t) => {
  const cases: Array<{ acks: string[]; committed: boolean }> = [
    { acks: [], committed: false },
    { acks: ['b'], committed: false },
    { acks: ['b', 'c'], committed: true },
    { acks: ['b', 'c', 'd'], committed: true },
    { acks: ['b', 'c', 'd', 'e'], committed: true },
  ]
  for (const c of cases) {
    const s = leader(ABCDE)
    s.drain()
    const r = s.node.propose(bytes('x'))
    s.drain()
    if (!r.ok) throw new Error('refused')
    for (const v of c.acks) s.step(appResp(v, 'a', 1, r.index))
    t.equal(s.status().commit, c.committed ? r.index : 1, `acks from [${c.acks}] of 5: committed=${c.committed}`)
    t.equal(s.peer.appliedData().includes('x'), c.committed, `acks from [${c.acks}]: handed to the state machine iff committed`)
  }
})

t.test('§5.3 committing an entry also commits all preceding entries in the leader\'s log, including entries of previous leaders', async (t) => {
  const s = new Solo('a', storageWith(ABC, [ent(1, 1, 'p'), ent(2, 2, 'q')], { term: 2, vote: '', commit: 0 }))
  s.node.campaign()
  s.drain()
  s.step(voteResp('b', 'a', 3))
  t.equal(s.status().role, 'leader')
  t.equal(s.status().commit, 0, 'nothing committed by the election alone')
  s.step(appResp('b', 'a', 3, 3))
  t.equal(s.status().commit, 3, 'the no-op and everything before it')
  t.same(ids(s.peer.applied), ['1:1', '2:2', '3:3'], 'applied in log order')
})

t.test('§5.3 the leader includes the highest committed index in AppendEntries; a follower applies committed entries in log order', async (t) => {
  const s = new Solo('b', new MemoryStorage(ABC))
  s.step(app('a', 'b', 1, 0, 0, [ent(1, 1, 'x'), ent(2, 1, 'y')], 1))
  t.equal(s.status().commit, 1)
  t.same(s.peer.appliedData(), ['x'], 'applies what is committed')
  s.step(app('a', 'b', 1, 2, 1, [], 2))
  t.same(s.peer.appliedData(), ['x', 'y'], 'then the next, in order')
})

t.test('§5.3 a follower never commits beyond the last entry it knows matches the leader', async (t) => {
  const s = new Solo('b', storageWith(ABC, [ent(1, 1, 'x'), ent(2, 1, 'old'), ent(3, 1, 'old')], { term: 1, vote: '', commit: 0 }))
  // The append confirms only index 1 (and carries no entries); entries 2..3 might still be overwritten.
  s.step(app('a', 'b', 2, 1, 1, [], 3))
  t.equal(s.status().commit, 1, 'commit = min(leader commit, index of last new entry)')
  t.same(s.peer.appliedData(), ['x'])
})

t.test('§5.3 consistency check: a follower refuses new entries unless it has an entry with the same index and term as prevIndex/prevTerm', async (t) => {
  const cases: Array<{ prevTerm: number; prevIndex: number; reject: boolean }> = [
    { prevTerm: 0, prevIndex: 0, reject: false },
    { prevTerm: 1, prevIndex: 1, reject: false },
    { prevTerm: 2, prevIndex: 2, reject: false },
    { prevTerm: 1, prevIndex: 2, reject: true },
    { prevTerm: 3, prevIndex: 3, reject: true },
  ]
  for (const c of cases) {
    const s = new Solo('b', storageWith(ABC, entriesOfTerms([1, 2]), { term: 2, vote: '', commit: 0 }))
    const out = ofType(s.step(app('a', 'b', 3, c.prevIndex, c.prevTerm, [ent(c.prevIndex + 1, 3, 'n')])), 'appResp')
    const name = `prev (${c.prevIndex}, ${c.prevTerm})`
    t.equal(out.length, 1, `${name}: one answer`)
    const r = out[0]
    if (r === undefined) continue
    t.equal(r.reject, c.reject, `${name}: reject=${c.reject}`)
    if (c.reject) {
      t.equal(r.index, c.prevIndex, `${name}: names the rejected prevIndex`)
      t.ok(r.hintIndex <= Math.min(c.prevIndex, 2), `${name}: hint ${r.hintIndex} within the follower's log`)
      t.equal(s.status().lastIndex, 2, `${name}: log untouched`)
    } else {
      t.equal(r.index, c.prevIndex + 1, `${name}: acknowledges the appended entry`)
    }
  }
})

t.test('§5.3 if an existing entry conflicts with a new one, the follower deletes it and all that follow; entries that match are kept', async (t) => {
  const cases: Array<{ prevIndex: number; prevTerm: number; entries: number[]; want: string[] }> = [
    { prevIndex: 2, prevTerm: 2, entries: [3], want: ['1:1', '2:2', '3:3'] },
    { prevIndex: 1, prevTerm: 1, entries: [3, 4], want: ['1:1', '2:3', '3:4'] },
    { prevIndex: 0, prevTerm: 0, entries: [1], want: ['1:1', '2:2'] },
    { prevIndex: 0, prevTerm: 0, entries: [3], want: ['1:3'] },
  ]
  for (const c of cases) {
    const s = new Solo('b', storageWith(ABC, entriesOfTerms([1, 2]), { term: 2, vote: '', commit: 0 }))
    const sent = entriesOfTerms(c.entries, c.prevIndex + 1)
    const out = ofType(s.step(app('a', 'b', 4, c.prevIndex, c.prevTerm, sent)), 'appResp')
    const name = `append after (${c.prevIndex}, ${c.prevTerm}) of terms [${c.entries}]`
    t.same(ids(s.peer.log()), c.want, name)
    t.equal(out[0]?.reject, false, `${name}: accepted`)
  }
})

t.test('§5.3 once committed, entries are applied on every server, in the same order', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 7 })
  c.elect('a')
  t.equal(c.peer('a').role, 'leader')
  for (const x of ['x', 'y', 'z']) c.propose('a', x)
  const lead = c.peer('a')
  for (const p of c.peers.values()) {
    t.same(p.appliedData(), ['x', 'y', 'z'], `${p.id} applied the commands in order`)
    t.equal(p.commit, lead.commit, `${p.id} learned the commit index`)
    t.same(p.applied.map((e) => e.index), Array.from({ length: lead.commit }, (_, i) => i + 1), `${p.id} applied every index once, in order`)
  }
})

t.test('§5.3 if followers crash or run slowly, or network packets are lost, the leader retries AppendEntries', async (t) => {
  const c = new Cluster(['a', 'b', 'c'], { seed: 3 })
  c.elect('a')
  const heal = c.isolate('c')
  c.propose('a', 'x')
  c.propose('a', 'y')
  t.same(c.peer('c').appliedData(), [], 'c missed them')
  heal()
  const ticks = c.tickUntil(() => c.peer('c').appliedData().length === 2, 20)
  t.ok(ticks > 0, `c caught up ${ticks} heartbeat(s) after the network healed`)
  t.same(ids(c.peer('c').log()), ids(c.peer('a').log()), 'and holds the leader\'s log')
})
