// A seeded simulation of clients running the chaos workload against a perfectly atomic register
// store. Every history it produces is linearizable by construction: each operation takes effect at
// one instant inside its [call, return] interval (or, for unknown outcomes, any time after its call,
// or never). The checker's own tests use it; the chaos tool can use it to self-test its pipeline.

import { seededRand, randInt } from '../raft/rand.js'
import type { Rand } from '../raft/rand.js'
import type { RegisterOperation } from './linearizability.js'
import type { RegisterInput, RegisterOutput, RegisterValue } from './register-model.js'

export interface SimulationOptions {
  readonly seed: number
  readonly operations: number
  /** Default 5. */
  readonly clients?: number
  /** Default 3. */
  readonly keys?: number
  /** Longest operation, in ticks. Default 10. */
  readonly maxLatency?: number
  /** Fraction of operations whose outcome the client never learns. Default 0.05. */
  readonly unknownRate?: number
  /** Fraction of operations failing without effect (validation error). Default 0.02. */
  readonly failRate?: number
}

interface Pending {
  readonly op: MutableOp
  /** When it takes effect; Infinity: never. */
  readonly at: number
  /** The client gave up waiting: it records `unknown` whatever happens. */
  readonly timedOut: boolean
}

type MutableOp = { -readonly [K in keyof RegisterOperation]: RegisterOperation[K] }

class Simulation {
  private readonly rand: Rand
  private readonly store = new Map<string, RegisterValue>()
  private readonly lastSeen = new Map<string, RegisterValue>()
  private pending: Pending[] = []
  private readonly history: MutableOp[] = []
  private readonly busyUntil: number[]
  private nextValue = 1

  constructor(private readonly o: Required<SimulationOptions>) {
    this.rand = seededRand(o.seed)
    this.busyUntil = new Array<number>(o.clients).fill(0)
  }

  run(): RegisterOperation[] {
    for (let t = 0; this.history.length < this.o.operations; t++) {
      this.applyBefore(t)
      for (let c = 0; c < this.o.clients && this.history.length < this.o.operations; c++) {
        if (this.busyUntil[c]! <= t && this.rand() < 0.5) this.invoke(c, t)
      }
    }
    this.applyBefore(Infinity)
    return this.history
  }

  private invoke(client: number, t: number): void {
    const key = `k${randInt(this.rand, 0, this.o.keys)}`
    const input = this.pickInput(client, key)
    const ret = t + randInt(this.rand, 1, this.o.maxLatency + 1)
    const roll = this.rand()
    const op: MutableOp = { id: this.history.length, client, key, input, call: t, return: ret, output: { type: 'unknown' } }
    this.history.push(op)
    this.busyUntil[client] = ret
    if (roll < this.o.failRate) {
      op.output = { type: 'fail' }
    } else if (roll < this.o.failRate + this.o.unknownRate) {
      // Timed out: took effect at some point after the call, maybe long after the client gave up, or never.
      if (this.rand() < 0.5) op.return = null
      const at = this.rand() < 0.3 ? Infinity : t + this.rand() * this.o.maxLatency * 4
      this.pending.push({ op, at, timedOut: true })
    } else {
      this.pending.push({ op, at: t + this.rand() * (ret - t), timedOut: false })
    }
  }

  private pickInput(client: number, key: string): RegisterInput {
    const roll = this.rand()
    if (roll < 0.4) return { type: 'read' }
    const value = this.nextValue++
    if (roll < 0.7) return { type: 'write', value }
    const seen = this.lastSeen.get(`${client}/${key}`) ?? null
    // Mostly the value this client last saw (often still current); sometimes a stale guess.
    const expected = this.rand() < 0.8 ? seen : randInt(this.rand, 0, this.nextValue)
    return { type: 'cas', expected, value }
  }

  /** Applies, in order of their instant, the operations taking effect before `t`. */
  private applyBefore(t: number): void {
    const due = this.pending.filter((p) => p.at < t).sort((a, b) => a.at - b.at)
    if (due.length === 0) return
    this.pending = this.pending.filter((p) => !(p.at < t))
    for (const p of due) this.apply(p)
  }

  private apply({ op, timedOut }: Pending): void {
    const current = this.store.get(op.key) ?? null
    const output = effect(op.input, current)
    if (op.input.type !== 'read' && output.type === 'ok') this.store.set(op.key, valueAfter(op.input))
    if (timedOut) return
    op.output = output
    // A conflict tells the client nothing about the current value.
    if (output.type === 'ok') this.lastSeen.set(`${String(op.client)}/${op.key}`, op.input.type === 'read' ? current : valueAfter(op.input))
  }
}

function effect(input: RegisterInput, current: RegisterValue): RegisterOutput {
  switch (input.type) {
    case 'read':
      return { type: 'ok', value: current }
    case 'write':
      return { type: 'ok' }
    case 'cas':
      return input.expected === current ? { type: 'ok' } : { type: 'fail', conflict: true }
  }
}

function valueAfter(input: RegisterInput): RegisterValue {
  return input.type === 'read' ? null : input.value
}

export function simulateRegisterHistory(options: SimulationOptions): RegisterOperation[] {
  return new Simulation({
    clients: 5,
    keys: 3,
    maxLatency: 10,
    unknownRate: 0.05,
    failRate: 0.02,
    ...options,
  }).run()
}
