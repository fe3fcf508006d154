// The bounded watch history: complete after its floor, gone before it.
import t from 'tap'
import type { Change } from '../../src/state/store.js'
import { WatchHistory } from '../../src/state/watch-history.js'

const change = (index: number, name = `o${index}`): Change => ({
  type: 'ADDED',
  index,
  object: { kind: 'ConfigMap', namespace: 'default', name, object: {}, uid: 'u', resourceVersion: index, generation: 1, creationTimestamp: '' },
})
const indexes = (r: ReturnType<WatchHistory['since']>) => (r.ok ? r.changes.map((c) => `${c.index}${c.object.name}`) : `gone<${r.oldest}`)

t.test('since(N) gives every change after N in order', async (t) => {
  const h = new WatchHistory(10)
  h.add([change(1), change(2), change(4, 'a'), change(4, 'b'), change(7)])
  t.same(indexes(h.since(0)), ['1o1', '2o2', '4a', '4b', '7o7'])
  t.same(indexes(h.since(2)), ['4a', '4b', '7o7'])
  t.same(indexes(h.since(3)), ['4a', '4b', '7o7'])
  t.same(indexes(h.since(7)), [])
  t.same(indexes(h.since(100)), [])
})

t.test('eviction raises the floor; a watch from before it is gone', async (t) => {
  const h = new WatchHistory(3)
  h.add([change(1), change(2, 'a'), change(2, 'b'), change(3)])
  t.equal(h.size, 3)
  t.equal(h.floor, 1)
  t.same(indexes(h.since(0)), 'gone<1')
  t.same(indexes(h.since(1)), ['2a', '2b', '3o3'])
  h.add([change(4)])
  t.equal(h.floor, 2, 'half of index 2 was evicted: a watch from 1 would miss 2a')
  t.same(indexes(h.since(1)), 'gone<2')
  t.same(indexes(h.since(2)), ['3o3', '4o4'])
})

t.test('a randomized fill matches a plain list (seeded)', async (t) => {
  const seed = Number(process.env.SEED ?? Date.now() % 100000)
  let x = seed
  const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648)
  const cap = 1 + Math.floor(rand() * 20)
  const h = new WatchHistory(cap)
  const all: Change[] = []
  let index = 0
  for (let i = 0; i < 200; i++) {
    index += 1 + Math.floor(rand() * 3)
    const batch = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, j) => change(index, `n${j}`))
    h.add(batch)
    all.push(...batch)
    const from = Math.floor(rand() * (index + 2))
    const r = h.since(from)
    const want = all.filter((c) => c.index > from)
    if (r.ok) t.ok(want.length <= cap && r.changes.length === want.length && r.changes.every((c, k) => c === want[k]), `seed ${seed}: since(${from}) complete`)
    else t.ok(all.slice(0, all.length - h.size).some((c) => c.index > from), `seed ${seed}: gone only when a change after ${from} was evicted`)
  }
})

t.test('reset after a snapshot starts the window at its index', async (t) => {
  const h = new WatchHistory(5)
  h.add([change(1), change(2)])
  h.reset(50)
  t.same(indexes(h.since(2)), 'gone<50')
  t.same(indexes(h.since(50)), [])
})
