import t from 'tap'
import { randInt, seededRand, type Rand } from '../../src/raft/rand.js'
import { canonicalJson, sameJson } from '../../src/state/canonical.js'

const SCALARS: readonly unknown[] = [null, undefined, true, false, 0, -0, 1, 2.5, NaN, Infinity, -Infinity, '', 'a', 'b', '1']

/** A small random JSON-shaped value (with the odd undefined, NaN and Infinity JSON rewrites). */
function value(rand: Rand, depth: number): unknown {
  const r = rand()
  if (depth <= 0 || r < 0.5) return SCALARS[randInt(rand, 0, SCALARS.length)]
  if (r < 0.75) return Array.from({ length: randInt(rand, 0, 4) }, () => value(rand, depth - 1))
  const o: Record<string, unknown> = {}
  for (let i = randInt(rand, 0, 4); i > 0; i--) o[['x', 'y', 'z', 'w'][randInt(rand, 0, 4)]!] = value(rand, depth - 1)
  return o
}

/** The same value with its keys in another order, or a small change somewhere. */
function variant(rand: Rand, v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (rand() < 0.2 ? value(rand, 1) : variant(rand, x)))
  if (v === null || typeof v !== 'object') return rand() < 0.1 ? SCALARS[randInt(rand, 0, SCALARS.length)] : v
  const keys = Object.keys(v).sort(() => rand() - 0.5)
  const out: Record<string, unknown> = {}
  for (const k of keys) if (rand() > 0.05) out[k] = variant(rand, (v as Record<string, unknown>)[k])
  if (rand() < 0.1) out.extra = rand() < 0.5 ? undefined : value(rand, 1)
  return out
}

t.test('sameJson agrees with comparing canonical JSON texts (seeded random values)', async (t) => {
  const seed = Number(process.env.SEED ?? Date.now() % 1_000_000)
  t.comment(`seed ${seed} (replay with SEED=${seed})`)
  const rand = seededRand(seed)
  let equal = 0
  for (let i = 0; i < 20_000; i++) {
    const a = value(rand, 4)
    const b = rand() < 0.5 ? variant(rand, a) : value(rand, 4)
    const want = canonicalJson(a) === canonicalJson(b)
    if (want) equal++
    if (sameJson(a, b) !== want || sameJson(b, a) !== want) {
      t.fail(`seed ${seed}, case ${i}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}: want ${want}`)
      return
    }
  }
  // Both outcomes must be well represented, or the comparison above proves little.
  t.ok(equal > 2_000 && equal < 18_000, `${equal} of 20,000 pairs equal`)
})

t.test('sameJson: the cases that need JSON rules', async (t) => {
  t.ok(sameJson({ a: 1, b: undefined }, { a: 1 }), 'a key holding undefined is no key')
  t.notOk(sameJson({ a: 1 }, { a: 1, b: null }), 'null is a value')
  t.ok(sameJson([undefined, NaN], [null, null]), 'in arrays, undefined and NaN are null')
  t.ok(sameJson({ x: { p: 1, q: [1, 2] } }, { x: { q: [1, 2], p: 1 } }), 'key order does not count')
  t.notOk(sameJson([1, 2], [2, 1]), 'array order counts')
  t.notOk(sameJson({ 0: 'a' }, ['a']), 'an object is not an array')
  t.notOk(sameJson('1', 1))
})
