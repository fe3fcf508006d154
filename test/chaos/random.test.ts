// Randomized tests, seeded: each failure prints the seed that replays it.
// - Histories simulated on an atomic register are linearizable; the search's linearization is
//   checked independently (real-time order, model replay).
// - Mutating one read to an impossible value must be caught.
// - Tiny random histories (mostly not linearizable): the verdict must match a brute-force search.

import t from 'tap'
import { Budget } from '../../src/chaos/budget.js'
import { partitionByKey } from '../../src/chaos/history.js'
import { checkLinearizability } from '../../src/chaos/linearizability.js'
import { registerModel } from '../../src/chaos/register-model.js'
import { simulateRegisterHistory } from '../../src/chaos/simulate.js'
import { search } from '../../src/chaos/wgl.js'
import { seededRand, randInt } from '../../src/raft/rand.js'
import type { Rand } from '../../src/raft/rand.js'
import type { RegisterOperation } from '../../src/chaos/linearizability.js'
import type { RegisterInput, RegisterOutput, RegisterValue } from '../../src/chaos/register-model.js'
import type { SearchOp } from '../../src/chaos/wgl.js'

const BASE_SEED = Number(process.env.LIN_SEED ?? 1)
const model = registerModel()

/** Why `order` is not a valid linearization of `ops`, or null if it is. */
function invalidLinearization(ops: readonly SearchOp<RegisterInput, RegisterOutput>[], order: readonly number[]): string | null {
  const used = new Set(order)
  for (let i = 0; i < ops.length; i++) if (!ops[i]!.optional && !used.has(i)) return `required op ${i} left out`
  const ret = (i: number) => (ops[i]!.optional ? Infinity : ops[i]!.return)
  let state = model.init()
  for (let k = 0; k < order.length; k++) {
    const op = ops[order[k]!]!
    for (let j = k + 1; j < order.length; j++) {
      if (ret(order[j]!) < op.call) return `op ${order[j]} returned before op ${order[k]} was called but comes after it`
    }
    const [ok, next] = model.step(state, op.input, op.output)
    if (!ok) return `op ${order[k]} rejected in state ${String(state)}`
    state = next
  }
  return null
}

t.test('simulated atomic registers give linearizable histories', async (t) => {
  for (let s = 0; s < 150; s++) {
    const seed = BASE_SEED + s
    const history = simulateRegisterHistory({ seed, operations: 150, clients: randInt(seededRand(seed), 2, 8) })
    const report = checkLinearizability(history)
    if (report.result !== 'ok') {
      t.fail(`seed=${seed}: expected ok, got ${report.result}`)
      continue
    }
    for (const part of partitionByKey(model, history)) {
      const outcome = search(model, part.ops, new Budget())
      const why = outcome.result === 'ok' ? invalidLinearization(part.ops, outcome.linearization) : outcome.result
      if (why !== null) t.fail(`seed=${seed} key=${part.key}: ${why}`)
    }
  }
  t.pass('150 seeds')
})

function okReads(history: readonly RegisterOperation[]): number[] {
  return history.flatMap((op, i) => (op.input.type === 'read' && op.output.type === 'ok' ? [i] : []))
}

function mutateRead(history: readonly RegisterOperation[], i: number, value: RegisterValue): RegisterOperation[] {
  const copy = history.slice()
  copy[i] = { ...copy[i]!, output: { type: 'ok', value } }
  return copy
}

t.test('a read of a value never written is caught', async (t) => {
  for (let s = 0; s < 100; s++) {
    const seed = BASE_SEED + 1000 + s
    const rand = seededRand(seed)
    const history = simulateRegisterHistory({ seed, operations: 120, clients: randInt(rand, 2, 8) })
    const reads = okReads(history)
    const target = reads[randInt(rand, 0, reads.length)]!
    const report = checkLinearizability(mutateRead(history, target, 'phantom'))
    t.equal(report.result, 'violation', `seed=${seed}`)
    t.equal(report.violations[0]?.key, history[target]!.key, `seed=${seed}: blames the mutated key`)
  }
})

/**
 * A read that returns the value of a write W after a later write W2 completed before the read began:
 * W finished before W2 started, and values are unique, so the read is stale.
 */
function staleMutation(history: readonly RegisterOperation[], rand: Rand): RegisterOperation[] | null {
  const definite = (op: RegisterOperation) => op.input.type !== 'read' && op.output.type === 'ok'
  for (const i of okReads(history).sort(() => rand() - 0.5)) {
    const r = history[i]!
    const before = (op: RegisterOperation, time: number) => op.key === r.key && definite(op) && op.return! < time
    const w2 = history.findLast((op) => before(op, r.call))
    const w = w2 && history.find((op) => before(op, w2.call))
    if (w === undefined || w.input.type === 'read') continue
    return mutateRead(history, i, w.input.value)
  }
  return null
}

t.test('a stale read is caught', async (t) => {
  let mutated = 0
  for (let s = 0; s < 100; s++) {
    const seed = BASE_SEED + 2000 + s
    const rand = seededRand(seed)
    const history = staleMutation(simulateRegisterHistory({ seed, operations: 120, clients: 4 }), rand)
    if (history === null) continue
    mutated++
    t.equal(checkLinearizability(history).result, 'violation', `seed=${seed}`)
  }
  t.ok(mutated > 50, `a stale read could be planted in ${mutated} of 100 histories`)
})

// ---- tiny random histories against brute force ----

const VALUES: RegisterValue[] = [null, 1, 2]

function randomOp(rand: Rand, id: number): RegisterOperation {
  const call = randInt(rand, 0, 8)
  const ret = call + randInt(rand, 0, 5)
  const pick = () => VALUES[randInt(rand, 0, VALUES.length)]!
  const kind = randInt(rand, 0, 3)
  const input: RegisterInput =
    kind === 0 ? { type: 'read' } : kind === 1 ? { type: 'write', value: pick() } : { type: 'cas', expected: pick(), value: pick() }
  const roll = rand()
  let output: RegisterOutput
  if (roll < 0.15) output = { type: 'unknown' }
  else if (roll < 0.25) output = { type: 'fail', conflict: rand() < 0.7 }
  else output = input.type === 'read' ? { type: 'ok', value: pick() } : { type: 'ok' }
  const unknownReturn = output.type === 'unknown' && rand() < 0.5
  return { id, client: id, key: 'x', input, call, return: unknownReturn ? null : ret, output }
}

/** Every order of every subset that keeps all definite ops; exponential, for a handful of ops. */
function bruteForce(history: readonly RegisterOperation[]): boolean {
  const optional = (op: RegisterOperation) => op.output.type === 'unknown'
  const ret = (op: RegisterOperation) => (optional(op) || op.return === null ? Infinity : op.return)
  const used = new Array<boolean>(history.length).fill(false)
  const go = (state: RegisterValue, left: number): boolean => {
    if (history.every((op, i) => used[i] || optional(op))) return true
    if (left === 0) return false
    for (let i = 0; i < history.length; i++) {
      const op = history[i]!
      if (used[i]) continue
      if (history.some((other, j) => !used[j] && j !== i && ret(other) < op.call)) continue
      const [ok, next] = model.step(state, op.input, op.output)
      if (!ok) continue
      used[i] = true
      const found = go(next, left - 1)
      used[i] = false
      if (found) return true
    }
    return false
  }
  return go(model.init(), history.length)
}

t.test('tiny random histories: same verdict as brute force', async (t) => {
  let violations = 0
  for (let s = 0; s < 3000; s++) {
    const seed = BASE_SEED + 10_000 + s
    const rand = seededRand(seed)
    const history = Array.from({ length: randInt(rand, 1, 7) }, (_, id) => randomOp(rand, id))
    const expected = bruteForce(history) ? 'ok' : 'violation'
    const got = checkLinearizability(history).result
    if (got !== expected) t.fail(`seed=${seed}: expected ${expected}, got ${got}\n${JSON.stringify(history)}`)
    if (expected === 'violation') violations++
  }
  t.ok(violations > 300 && violations < 2700, `both verdicts exercised (${violations} violations of 3000)`)
})
