// Batched ReadIndex: concurrent reads share rounds, and no read joins a round that started before it.
import t from 'tap'
import { ReadBarrier } from '../../src/agent/api/read-barrier.js'

function manualSource() {
  const rounds: { resolve: (n: number) => void; reject: (e: Error) => void }[] = []
  return {
    rounds,
    readIndex: () => new Promise<number>((resolve, reject) => rounds.push({ resolve, reject })),
  }
}
const tick = () => new Promise((r) => setImmediate(r))

t.test('reads waiting together share one round; reads arriving during it wait for the next', async (t) => {
  const src = manualSource()
  const b = new ReadBarrier(src)
  const done: string[] = []
  const first = ['a', 'b', 'c'].map((n) => b.wait().then(() => done.push(n)))
  t.equal(src.rounds.length, 0, 'the round starts after this I/O turn')
  await tick()
  t.equal(src.rounds.length, 1)
  const late = ['d', 'e'].map((n) => b.wait().then(() => done.push(n)))
  t.equal(src.rounds.length, 1, 'no second round while one is in flight')
  src.rounds[0]!.resolve(10)
  await Promise.all(first)
  await tick()
  t.same(done, ['a', 'b', 'c'], 'the late reads did not ride on the earlier round')
  t.equal(src.rounds.length, 2, 'the next round started for them')
  src.rounds[1]!.resolve(11)
  await Promise.all(late)
  t.same(done, ['a', 'b', 'c', 'd', 'e'])
  t.equal(b.rounds, 2)
})

t.test('a failed round fails its reads; the next round is independent', async (t) => {
  const src = manualSource()
  const b = new ReadBarrier(src)
  const failed = b.wait()
  await tick()
  const later = b.wait()
  src.rounds[0]!.reject(Object.assign(new Error('leader lost'), { name: 'ReadIndexLostError' }))
  await t.rejects(failed, { name: 'ReadIndexLostError' })
  await tick()
  src.rounds[1]!.resolve(3)
  await t.resolves(later)
})
