import t from 'tap'
import { LinearizedSet } from '../../src/chaos/bitset.js'
import { seededRand, randInt } from '../../src/raft/rand.js'

t.test('snapshots match exactly the equal sets', async (t) => {
  for (let s = 0; s < 50; s++) {
    const seed = 500 + s
    const rand = seededRand(seed)
    const size = randInt(rand, 1, 200)
    const set = new LinearizedSet(size)
    const model = new Set<number>()
    const seen: { snap: ReturnType<LinearizedSet['snapshot']>; members: string; hash: number }[] = []
    for (let k = 0; k < 400; k++) {
      const i = randInt(rand, 0, size)
      // Mostly fill from the bottom, as the search does, with some noise above.
      const target = rand() < 0.7 ? Math.min(i, model.size + randInt(rand, 0, 5)) : i
      if (model.has(target)) {
        set.delete(target)
        model.delete(target)
      } else {
        set.add(target)
        model.add(target)
      }
      const members = [...model].sort((a, b) => a - b).join(',')
      for (const old of seen) {
        if (set.matches(old.snap) !== (old.members === members)) {
          t.fail(`seed=${seed}: {${members}} vs {${old.members}}`)
          return
        }
        if (old.members === members && old.hash !== set.hash) t.fail(`seed=${seed}: equal sets, different hashes`)
      }
      for (let j = 0; j < size; j++) if (set.has(j) !== model.has(j)) t.fail(`seed=${seed}: has(${j})`)
      seen.push({ snap: set.snapshot(), members, hash: set.hash })
      if (seen.length > 40) seen.shift()
    }
  }
  t.pass('50 seeds')
})
