// §5.4.3 Safety argument (Figure 3): Election Safety, Leader Completeness, State Machine Safety.
import t from 'tap'
import { Cluster, DEFAULTS, PAPER, seeds } from './harness.js'
import { SafetyChecker } from './safety.js'
import { randInt, seededRand } from '../../../src/raft/rand.js'
import type { Rand } from '../../../src/raft/rand.js'

const FIVE = ['a', 'b', 'c', 'd', 'e']

t.test('§5.4.3 leader completeness: every leader holds all entries committed in earlier terms (scripted leader changes)', async (t) => {
  const c = new Cluster(FIVE, { seed: 43 })
  const safety = new SafetyChecker(c)
  const step = (label: string, fn: () => void): void => {
    fn()
    safety.check(label)
  }
  step('1. a leads, commits x1 x2', () => {
    c.elect('a')
    c.propose('a', 'x1')
    c.propose('a', 'x2')
  })
  const isolateA = c.isolate('a')
  step('2. a is cut off; b leads the other four and commits x3', () => {
    c.elect('b')
    c.propose('b', 'x3')
  })
  t.equal(c.peer('b').role, 'leader', 'b elected')
  isolateA()
  const cutB = c.isolate('b')
  const cutC = c.isolate('c')
  c.crash('a')
  c.restart('a')
  step('3. with b and c away, a (restarted, missing x3) cannot win against d and e', () => {
    c.elect('a', 2)
  })
  t.not(c.peer('a').role, 'leader', 'a, missing x3, is refused')
  step('3. d leads a, d, e and commits x4', () => {
    c.elect('d')
    c.propose('d', 'x4')
  })
  t.equal(c.peer('d').role, 'leader', 'd elected')
  cutB()
  cutC()
  const cutD = c.isolate('d')
  c.crash('e')
  step('4. d cut off, e down: c, missing x4, cannot win', () => {
    c.elect('c', 2)
  })
  t.not(c.peer('c').role, 'leader', 'c refused')
  step('4. a, holding x4, wins with b and c', () => {
    c.elect('a')
  })
  t.equal(c.peer('a').role, 'leader', 'a elected')
  cutD()
  c.restart('e')
  step('5. everyone back; a commits x5 and heartbeats bring d and e up to date', () => {
    c.propose('a', 'x5')
    c.tickAll(3)
  })
  t.same(safety.violations, [], 'no safety violation at any step')
  for (const p of c.peers.values()) t.same(p.appliedData(), ['x1', 'x2', 'x3', 'x4', 'x5'], `${p.id} applied every command once, in order`)
})

/** One random fault or action; returns its label. */
function randomStep(c: Cluster, r: Rand, heals: Array<() => void>): string {
  const ids = [...c.peers.keys()]
  const pick = (): string => ids[randInt(r, 0, ids.length)] ?? 'a'
  const down = ids.filter((id) => !c.peer(id).up)
  switch (randInt(r, 0, 7)) {
    case 0: {
      const id = pick()
      heals.push(c.isolate(id))
      return `isolate ${id}`
    }
    case 1:
      heals.splice(0).forEach((h) => h())
      return 'heal'
    case 2: {
      const id = pick()
      if (down.length >= 2 || !c.peer(id).up) return 'noop'
      c.crash(id)
      return `crash ${id}`
    }
    case 3: {
      const id = down[0]
      if (id === undefined) return 'noop'
      c.restart(id)
      return `restart ${id}`
    }
    case 4: {
      const id = pick()
      if (!c.peer(id).up) return 'noop'
      c.peer(id).node.campaign()
      c.stabilize()
      return `campaign ${id}`
    }
    case 5: {
      const lead = c.leader()
      if (lead === undefined) return 'noop'
      const r2 = lead.node.propose(new TextEncoder().encode(`v${randInt(r, 0, 1e6)}`))
      c.stabilize()
      return `propose on ${lead.id}: ${r2.ok}`
    }
    default: {
      const n = randInt(r, 1, 25)
      c.tickAll(n)
      return `tick ${n}`
    }
  }
}

t.test('§5.4.3 safety holds under random partitions, crashes, campaigns and ticks (seeded)', async (t) => {
  for (const seed of seeds([1, 2, 3, 4, 5, 6, 7, 8])) {
    const r = seededRand(seed)
    const c = new Cluster(FIVE, { seed, options: seed % 2 === 0 ? PAPER : DEFAULTS })
    const safety = new SafetyChecker(c)
    const heals: Array<() => void> = []
    const trace: string[] = []
    for (let i = 0; i < 40; i++) {
      trace.push(randomStep(c, r, heals))
      safety.check(`step ${i} (${trace.at(-1)})`)
    }
    // Afterwards the cluster recovers: heal and restart everyone, a leader emerges and commits.
    heals.splice(0).forEach((h) => h())
    for (const p of c.peers.values()) if (!p.up) c.restart(p.id)
    const ticks = c.tickUntil(() => c.leader() !== undefined, 200)
    safety.check('recovery')
    t.same(safety.violations, [], `seed ${seed}: no violation (replay: PAPER_SEED=${seed}); trace: ${trace.join('; ')}`)
    t.ok(ticks > 0, `seed ${seed}: a leader after recovery`)
  }
})
