import t from 'tap'
import { generateSchedule, permutation, usableNemeses } from '../../src/chaos/schedule.js'
import { seededRand } from '../../src/raft/rand.js'
import type { NemesisKind } from '../../src/chaos/faults.js'

const base = { nodes: 5, durationMs: 60_000 }

t.test('the same seed gives the same schedule', async (t) => {
  for (const seed of [1, 2, 42, 0xdeadbeef]) {
    t.same(generateSchedule({ ...base, seed }), generateSchedule({ ...base, seed }), `seed ${seed}`)
  }
})

t.test('different seeds give different schedules', async (t) => {
  const a = JSON.stringify(generateSchedule({ ...base, seed: 1 }))
  const b = JSON.stringify(generateSchedule({ ...base, seed: 2 }))
  t.not(a, b)
})

t.test('faults are one at a time, inside the window, after the warmup and before the cooldown', async (t) => {
  for (let seed = 0; seed < 50; seed++) {
    const s = generateSchedule({ ...base, seed, warmupMs: 2000, cooldownMs: 4000 })
    t.ok(s.length > 0, `seed ${seed}: some faults`)
    let prevEnd = 2000
    for (const f of s) {
      t.ok(f.at >= prevEnd + 1000, `seed ${seed} #${f.id}: a gap after the previous fault`)
      t.ok(f.duration >= 2000 && f.duration < 6000, `seed ${seed} #${f.id}: duration in range`)
      prevEnd = f.at + f.duration
    }
    t.ok(prevEnd <= 56_000, `seed ${seed}: healed before the cooldown`)
    t.same(s.map((f) => f.id), s.map((_, i) => i + 1), 'ids count up from 1')
  }
})

t.test('only the nemeses asked for, and node slots in range', async (t) => {
  const kinds: NemesisKind[] = ['kill', 'partition']
  for (let seed = 0; seed < 30; seed++) {
    for (const f of generateSchedule({ ...base, seed, nemeses: kinds })) {
      t.ok(kinds.includes(f.fault.kind), `seed ${seed}: ${f.fault.kind}`)
      if (f.fault.kind === 'partition') t.same([...f.fault.order].sort(), [0, 1, 2, 3, 4], 'order is a permutation')
      else if ('index' in f.fault.node) t.ok(f.fault.node.index >= 0 && f.fault.node.index < 5)
    }
  }
})

t.test('every nemesis kind shows up over a few seeds, and the leader is sometimes targeted', async (t) => {
  const seen = new Set<string>()
  let leader = 0
  for (let seed = 0; seed < 20; seed++) {
    for (const f of generateSchedule({ ...base, seed })) {
      seen.add(f.fault.kind === 'partition' ? `partition:${f.fault.shape}` : f.fault.kind)
      if (f.fault.kind !== 'partition' && 'leader' in f.fault.node) leader++
    }
  }
  for (const k of ['kill', 'pause', 'membership', 'partition:leader', 'partition:halves', 'partition:bridge', 'partition:ring', 'partition:oneway']) t.ok(seen.has(k), k)
  t.ok(leader > 0)
})

t.test('small clusters: no partitions or membership changes below 3 nodes, no ring below 4', async (t) => {
  t.same(usableNemeses(['kill', 'pause', 'partition', 'membership'], 2), ['kill', 'pause'])
  for (let seed = 0; seed < 30; seed++) {
    for (const f of generateSchedule({ seed, nodes: 3, durationMs: 60_000 })) {
      if (f.fault.kind === 'partition') t.not(f.fault.shape, 'ring', `seed ${seed}`)
    }
    for (const f of generateSchedule({ seed, nodes: 1, durationMs: 60_000 })) t.ok(f.fault.kind === 'kill' || f.fault.kind === 'pause')
  }
})

t.test('too short a run has no faults; no nemeses, no faults', async (t) => {
  t.same(generateSchedule({ seed: 1, nodes: 3, durationMs: 5_000 }), [])
  t.same(generateSchedule({ seed: 1, nodes: 3, durationMs: 60_000, nemeses: [] }), [])
})

t.test('permutation is a permutation and depends on the seed', async (t) => {
  const p = permutation(seededRand(3), 7)
  t.same([...p].sort(), [0, 1, 2, 3, 4, 5, 6])
  t.same(permutation(seededRand(3), 7), p)
})
