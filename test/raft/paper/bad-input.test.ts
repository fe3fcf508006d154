// Bad input: stale, unknown and malformed messages are counted and ignored; step never throws (api.ts).
import t from 'tap'
import { ABC, MemoryStorage, Solo, app, appResp, bytes, ent, heartbeat, seeds, storageWith, voteResp } from './harness.js'
import { randInt, seededRand } from '../../../src/raft/rand.js'
import type { Rand } from '../../../src/raft/rand.js'
import type { Message } from '../../../src/raft/types.js'

/** a, leader of term 1 in a, b, c, with its no-op acknowledged by b. */
function leader(): Solo {
  const s = new Solo('a', new MemoryStorage(ABC))
  s.node.campaign()
  s.drain()
  s.step(voteResp('b', 'a', 1))
  s.step(appResp('b', 'a', 1, 1))
  return s
}

t.test('messages from an older term are ignored and counted', async (t) => {
  const s = new Solo('b', storageWith(ABC, [ent(1, 1)], { term: 3, vote: '', commit: 1 }))
  const stale: Message[] = [
    app('a', 'b', 2, 1, 1, [ent(2, 2, 'stale')], 1),
    heartbeat('a', 'b', 2, 1),
    { type: 'vote', from: 'c', to: 'b', term: 2, lastLogIndex: 9, lastLogTerm: 2, transfer: false },
    { type: 'snap', from: 'a', to: 'b', term: 1, metadata: { index: 5, term: 1, conf: ABC }, offset: 0, totalBytes: 1, data: new Uint8Array([1]) },
    { type: 'timeoutNow', from: 'a', to: 'b', term: 2 },
  ]
  for (const m of stale) {
    const before = s.node.counters.droppedStaleTerm
    s.step(m)
    t.equal(s.node.counters.droppedStaleTerm, before + 1, `${m.type} of term ${m.term} counted`)
  }
  const st = s.status()
  t.equal(st.term, 3, 'term unchanged')
  t.equal(st.lastIndex, 1, 'log unchanged')
  t.equal(st.vote, '', 'no vote cast')
  t.equal(st.role, 'follower', 'no election started by a stale TimeoutNow')
  t.equal(st.leader, '', 'no stale leader recognised')
})

t.test('responses from a node outside the configuration are ignored and counted', async (t) => {
  const s = leader()
  const before = s.status()
  const unknown: Message[] = [
    appResp('z', 'a', 1, 1),
    { type: 'heartbeatResp', from: 'z', to: 'a', term: 1, context: new Uint8Array() },
    { type: 'snapResp', from: 'z', to: 'a', term: 1, snapshotIndex: 1, received: 1, reject: false },
    voteResp('z', 'a', 1),
  ]
  for (const m of unknown) {
    const n = s.node.counters.droppedUnknownNode
    s.step(m)
    t.equal(s.node.counters.droppedUnknownNode, n + 1, `${m.type} from z counted`)
  }
  const after = s.status()
  t.equal(after.progress?.has('z'), false, 'z is not tracked')
  t.equal(after.commit, before.commit)
  t.equal(after.role, 'leader')
})

t.test('an acknowledgement of entries the leader never sent is invalid: counted, and it does not advance commit', async (t) => {
  const s = leader()
  t.ok(s.node.propose(bytes('x')).ok)
  s.drain()
  const last = s.status().lastIndex
  const n = s.node.counters.droppedInvalid
  s.step(appResp('b', 'a', 1, last + 100))
  t.equal(s.node.counters.droppedInvalid, n + 1, 'counted as invalid')
  t.ok((s.status().progress?.get('b')?.match ?? 0) <= last, 'match never beyond the leader\'s log')
  t.ok(s.status().commit <= last, 'commit never beyond the leader\'s log')
})

function randomMessage(r: Rand): Message {
  const who = ['a', 'b', 'c', 'z', '']
  const pick = <T>(xs: readonly T[]): T => xs[randInt(r, 0, xs.length)] as T
  const n = (): number => pick([-1, 0, 1, 2, 3, 5, 1e9, randInt(r, 0, 10)])
  const h = { from: pick(who), to: pick(who), term: n() }
  const entries = Array.from({ length: randInt(r, 0, 3) }, () => ({ index: n(), term: n(), type: pick(['normal', 'conf'] as const), data: new Uint8Array(randInt(r, 0, 4)) }))
  const ctx = new Uint8Array(randInt(r, 0, 3))
  const meta = { index: n(), term: n(), conf: pick([ABC, { voters: [], learners: [] }]) }
  const all: Message[] = [
    { ...h, type: pick(['vote', 'preVote'] as const), lastLogIndex: n(), lastLogTerm: n(), transfer: r() < 0.5 },
    { ...h, type: pick(['voteResp', 'preVoteResp'] as const), reject: r() < 0.5 },
    { ...h, type: 'app', prevIndex: n(), prevTerm: n(), entries, commit: n() },
    { ...h, type: 'appResp', index: n(), reject: r() < 0.5, hintIndex: n(), hintTerm: n() },
    { ...h, type: 'heartbeat', commit: n(), context: ctx },
    { ...h, type: 'heartbeatResp', context: ctx },
    { ...h, type: 'snap', metadata: meta, offset: n(), totalBytes: n(), data: new Uint8Array(randInt(r, 0, 4)) },
    { ...h, type: 'snapResp', snapshotIndex: n(), received: n(), reject: r() < 0.5 },
    { ...h, type: 'timeoutNow' },
    { ...h, type: 'readIndex', context: ctx },
    { ...h, type: 'readIndexResp', index: n(), context: ctx },
  ]
  return pick(all)
}

t.test('step never throws on random, malformed input, and the core keeps commit <= lastIndex (seeded)', async (t) => {
  for (const seed of seeds([1, 2, 3, 4, 5, 6])) {
    const r = seededRand(seed)
    const makers = [() => new Solo('b', new MemoryStorage(ABC)), leader]
    for (const make of makers) {
      const s = make()
      let failure = ''
      for (let i = 0; i < 300 && failure === ''; i++) {
        const m = randomMessage(r)
        try {
          s.step(m)
          s.node.tick()
          s.drain()
        } catch (err) {
          failure = `message ${i} ${JSON.stringify(m)} threw ${(err as Error).name}: ${(err as Error).message}`
          break
        }
        const st = s.status()
        if (st.commit > st.lastIndex) failure = `after message ${i} ${JSON.stringify(m)}: commit ${st.commit} > lastIndex ${st.lastIndex}`
      }
      t.equal(failure, '', `seed ${seed}, ${make === leader ? 'leader' : 'follower'} (replay: PAPER_SEED=${seed})`)
    }
  }
})
