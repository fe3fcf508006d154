import t from 'tap'
import { ProposalWaiters, ReadWaiters } from '../../../src/raft/driver-waiters.js'
import type { Entry } from '../../../src/raft/types.js'

const entry = (index: number, term: number): Entry => ({ index, term, type: 'normal', data: new Uint8Array() })

/** Settles a promise into a value or the error's name, without waiting on it forever. */
async function outcome<T>(p: Promise<T>): Promise<T | string> {
  return Promise.race([p.catch((e: Error) => e.name), new Promise<string>((r) => setImmediate(() => r('pending')))])
}

t.test('a proposal resolves when its index is applied with its term', async (t) => {
  const w = new ProposalWaiters()
  const p = w.add(5, 2)
  w.applied([entry(4, 2)])
  t.equal(await outcome(p), 'pending')
  w.applied([entry(5, 2), entry(6, 2)])
  t.same(await outcome(p), { index: 5, term: 2 })
  t.equal(w.size, 0)
})

t.test('a proposal whose index is applied with another term was dropped', async (t) => {
  const w = new ProposalWaiters()
  const p = w.add(5, 2)
  w.applied([entry(5, 3)])
  t.equal(await outcome(p), 'ProposalDroppedError')
})

t.test('a newer proposal at the same index drops the older one', async (t) => {
  const w = new ProposalWaiters()
  const old = w.add(5, 2)
  const fresh = w.add(5, 4)
  t.equal(await outcome(old), 'ProposalDroppedError')
  w.applied([entry(5, 4)])
  t.same(await outcome(fresh), { index: 5, term: 4 })
})

t.test('a snapshot settles the waiters it covers', async (t) => {
  const w = new ProposalWaiters()
  const below = w.add(3, 1)
  const exact = w.add(7, 2)
  const above = w.add(8, 2)
  w.snapshotApplied(7, 2)
  t.equal(await outcome(below), 'ProposalOutcomeUnknownError')
  t.same(await outcome(exact), { index: 7, term: 2 })
  t.equal(await outcome(above), 'pending')
})

t.test('aborting a proposal rejects it and forgets it', async (t) => {
  const w = new ProposalWaiters()
  const ac = new AbortController()
  const p = w.add(5, 1, ac.signal)
  ac.abort()
  t.equal(await outcome(p), 'AbortedError')
  t.equal(w.size, 0)
  t.equal(await outcome(w.add(6, 1, ac.signal)), 'AbortedError', 'an already aborted signal rejects at once')
})

t.test('a proposal past its deadline fails with ProposalTimeoutError when expired', async (t) => {
  const w = new ProposalWaiters()
  const early = w.add(5, 1, undefined, 100)
  const late = w.add(6, 1, undefined, 200)
  const never = w.add(7, 1)
  w.expire(99)
  t.equal(await outcome(early), 'pending', 'not before its deadline')
  w.expire(150)
  t.equal(await outcome(early), 'ProposalTimeoutError')
  t.equal(await outcome(late), 'pending')
  w.applied([entry(6, 1)])
  t.same(await outcome(late), { index: 6, term: 1 }, 'applied in time')
  w.expire(Number.MAX_SAFE_INTEGER)
  t.equal(await outcome(never), 'pending', 'no deadline, no timeout')
  t.equal(w.size, 1)
})

t.test('rejectAll rejects every waiter with the given error', async (t) => {
  const w = new ProposalWaiters()
  const ps = [w.add(1, 1), w.add(2, 1)]
  w.rejectAll(new RangeError('x'))
  t.same(await Promise.all(ps.map(outcome)), ['RangeError', 'RangeError'])
})

t.test('a read resolves once confirmed and applied up to its index', async (t) => {
  const r = new ReadWaiters('a')
  const { context, promise } = r.add()
  r.confirm([{ index: 10, context }], 8)
  t.equal(await outcome(promise), 'pending')
  r.applied(9)
  t.equal(await outcome(promise), 'pending')
  r.applied(10)
  t.equal(await outcome(promise), 10)
})

t.test('a read confirmed at an index already applied resolves at once', async (t) => {
  const r = new ReadWaiters('a')
  const { context, promise } = r.add()
  r.confirm([{ index: 3, context: Uint8Array.from(context) }], 5)
  t.equal(await outcome(promise), 3)
})

t.test('contexts differ per request and per node', async (t) => {
  const a = new ReadWaiters('a')
  const b = new ReadWaiters('b')
  const c1 = Buffer.from(a.add().context).toString('hex')
  const c2 = Buffer.from(a.add().context).toString('hex')
  const c3 = Buffer.from(b.add().context).toString('hex')
  t.equal(new Set([c1, c2, c3]).size, 3)
})

t.test('a leader change loses unconfirmed reads but not confirmed ones', async (t) => {
  const r = new ReadWaiters('a')
  const confirmed = r.add()
  const unconfirmed = r.add()
  r.confirm([{ index: 4, context: confirmed.context }], 0)
  r.rejectUnconfirmed(new Error('lost'))
  t.equal(await outcome(unconfirmed.promise), 'Error')
  r.applied(4)
  t.equal(await outcome(confirmed.promise), 4)
})
