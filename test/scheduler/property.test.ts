// Safety and determinism over random clusters. fast-check prints the failing seed; the cluster is
// randomInput(seed) (fixtures/random.ts), so `randomInput(<seed>)` replays it.
import fc from 'fast-check'
import t from 'tap'
import { explainPod } from '../../src/scheduler/explain.js'
import { schedule } from '../../src/scheduler/schedule.js'
import type { PlacedPod, ScheduleInput } from '../../src/scheduler/types.js'
import { verifyPlacements } from '../../src/scheduler/verify.js'
import { nodes, pod, replicas } from './fixtures/build.js'
import { randomInput } from './fixtures/random.js'

const seeds = fc.integer({ min: 0, max: 2 ** 31 - 1 })
const RUNS = 300

t.test('never over-commits, never breaks a filter, a port or a required anti-affinity', async (t) => {
  fc.assert(
    fc.property(seeds, (seed) => {
      const input = randomInput(seed)
      const problems = verifyPlacements(input, schedule(input))
      if (problems.length > 0) throw new Error(`seed ${seed}: ${problems.join('; ')}`)
    }),
    { numRuns: RUNS },
  )
  t.pass(`${RUNS} random clusters`)
})

/** Replays the pending pods one at a time, asking explainPod about each in the state it met. */
function replay(input: ScheduleInput, check: (uid: string, explained: ReturnType<typeof explainPod>) => void): void {
  const result = schedule(input)
  const where = new Map(result.placements.map((p) => [p.uid, p.nodeName]))
  const placed: PlacedPod[] = [...input.placed]
  for (const p of input.pending) {
    const explained = explainPod({ nodes: input.nodes, placed, pod: p, ...(input.strategy ? { strategy: input.strategy } : {}), seed: input.seed ?? 0 })
    check(p.uid, explained)
    const nodeName = where.get(p.uid)
    if (nodeName !== undefined) placed.push({ ...p, nodeName })
  }
}

t.test('a placement is the best feasible node; an unschedulable pod fits nowhere, with the same reason', async (t) => {
  fc.assert(
    fc.property(seeds, (seed) => {
      const input = randomInput(seed)
      const result = schedule(input)
      const where = new Map(result.placements.map((p) => [p.uid, p.nodeName]))
      const reasons = new Map(result.unschedulable.map((u) => [u.uid, u.reason]))
      replay(input, (uid, e) => {
        const chosen = where.get(uid)
        if (chosen !== undefined && e.nodes[0]?.nodeName !== chosen) throw new Error(`seed ${seed}: ${uid} on ${chosen}, best is ${e.nodes[0]?.nodeName}`)
        if (chosen === undefined && (e.feasibleNodes !== 0 || e.summary !== reasons.get(uid))) {
          throw new Error(`seed ${seed}: ${uid} unschedulable (${reasons.get(uid)}) but explain says ${e.summary}`)
        }
      })
    }),
    { numRuns: 150 },
  )
  t.pass()
})

t.test('same input, same output, whatever the order of nodes', async (t) => {
  fc.assert(
    fc.property(seeds, (seed) => {
      const input = randomInput(seed)
      const a = schedule(input)
      const b = schedule({ ...input, nodes: [...input.nodes].reverse() })
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`seed ${seed}: results differ`)
    }),
    { numRuns: RUNS },
  )
  t.pass()
})

t.test('spread: replicas of one owner on identical empty nodes differ by at most one', async (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 40 }), seeds, (n, k, seed) => {
      const r = schedule({ nodes: nodes(n, { allocatable: { cpuMillis: 100_000, memoryBytes: 2 ** 40 } }), placed: [], pending: replicas(k), seed })
      const counts = new Map<string, number>()
      for (const p of r.placements) counts.set(p.nodeName, (counts.get(p.nodeName) ?? 0) + 1)
      const all = Array.from({ length: n }, (_, i) => counts.get(`n${i}`) ?? 0)
      if (r.placements.length !== k || Math.max(...all) - Math.min(...all) > 1) throw new Error(`n=${n} k=${k} seed=${seed}: ${all}`)
    }),
    { numRuns: RUNS },
  )
  t.pass()
})

t.test('binpack: a pod opens an empty node only when it fits on no used one', async (t) => {
  const sizes = fc.array(fc.record({ cpu: fc.integer({ min: 1, max: 4 }), mem: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 30 })
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 6 }), sizes, seeds, (n, reqs, seed) => {
      const pending = reqs.map((q, i) => pod(`p${i}`, { requests: { cpuMillis: q.cpu * 500, memoryBytes: q.mem * 1024 } }))
      const ns = nodes(n, { allocatable: { cpuMillis: 4000, memoryBytes: 8192, pods: 5 } })
      const r = schedule({ nodes: ns, placed: [], pending, strategy: 'binpack', seed })
      const where = new Map(r.placements.map((p) => [p.uid, p.nodeName]))
      const used = new Map<string, { cpu: number; mem: number; pods: number }>()
      for (const p of pending) {
        const chosen = where.get(p.uid)
        const fitsUsed = [...used.entries()].find(
          ([name, u]) => name !== chosen && u.cpu + p.requests.cpuMillis <= 4000 && u.mem + p.requests.memoryBytes <= 8192 && u.pods < 5,
        )
        if (chosen !== undefined && !used.has(chosen) && fitsUsed !== undefined) {
          throw new Error(`seed ${seed}: ${p.uid} opened ${chosen} though ${fitsUsed[0]} had room`)
        }
        if (chosen === undefined) continue
        const u = used.get(chosen) ?? { cpu: 0, mem: 0, pods: 0 }
        used.set(chosen, { cpu: u.cpu + p.requests.cpuMillis, mem: u.mem + p.requests.memoryBytes, pods: u.pods + 1 })
      }
    }),
    { numRuns: RUNS },
  )
  t.pass()
})
