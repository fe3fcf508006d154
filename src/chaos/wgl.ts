// The search for one key: Wing & Gong's algorithm with Lowe's memoization, after Porcupine's
// checker.go. Calls and returns sit in one doubly linked list ordered by time; an operation may be
// linearized next when its call comes before the first return still in the list. Linearizing it
// unlinks its call and return; backtracking links them back (dancing links), so undo is O(1).
//
// Two prunings on top of Porcupine's, both sound and complete:
// - A read-only operation (model.readOnly: it never changes any state) that the model accepts is
//   taken at once, and if that fails, its parent fails too: any linearization from here could move
//   it to the front, since no remaining operation returned before it was called. (Being a no-op in
//   the current state is not enough: a write of the current value may matter later.)
// - An optional operation (unknown outcome) that would not change the state is never linearized
//   there: leaving it for later keeps strictly more choices open.

import { LinearizedSet } from './bitset.js'
import { Memo } from './memo.js'
import type { Budget } from './budget.js'
import type { Model, Outcome } from './model.js'

export interface SearchOp<I, O> {
  readonly input: I
  readonly output: O
  readonly call: number
  /** Ignored for optional operations, which may take effect any time after their call. */
  readonly return: number
  /** The outcome is unknown: the operation may be linearized after its call, or left out entirely. */
  readonly optional: boolean
}

/** Indices are positions in the array given to `search`. */
export type SearchOutcome =
  | { readonly result: 'ok'; readonly linearization: readonly number[] }
  | { readonly result: 'violation' | 'unknown'; readonly longest: readonly number[] }

const DONE = -2
const EXHAUSTED = -3

export function search<S, I, O extends Outcome<unknown>>(
  model: Model<S, I, O>,
  ops: readonly SearchOp<I, O>[],
  budget: Budget,
): SearchOutcome {
  return new Search(model, ops, budget).run()
}

class Search<S, I, O extends Outcome<unknown>> {
  /** Operations in call order; `order[i]` is the caller's index of ops[i]. */
  private readonly ops: SearchOp<I, O>[]
  private readonly order: number[]
  // Entry 2i is the call of operation i, 2i+1 its return, `head` a sentinel before the first entry.
  private readonly next: Int32Array
  private readonly prev: Int32Array
  private readonly head: number
  private readonly linearized: LinearizedSet
  private readonly readOnly: Uint8Array
  private readonly memo: Memo<S>
  private readonly stack: { entry: number; state: S; forced: boolean }[] = []
  private longest: number[] = []
  private state: S
  private required = 0

  constructor(
    private readonly model: Model<S, I, O>,
    input: readonly SearchOp<I, O>[],
    private readonly budget: Budget,
  ) {
    this.order = input.map((_, i) => i).sort((a, b) => input[a]!.call - input[b]!.call || a - b)
    this.ops = this.order.map((i) => input[i]!)
    const n = this.ops.length
    this.head = 2 * n
    this.next = new Int32Array(2 * n + 1)
    this.prev = new Int32Array(2 * n + 1)
    this.link()
    this.linearized = new LinearizedSet(n)
    this.readOnly = Uint8Array.from(this.ops, (op) => (model.readOnly?.(op.input, op.output) ? 1 : 0))
    this.memo = new Memo(model.equal)
    this.state = model.init()
    for (const op of this.ops) if (!op.optional) this.required++
  }

  run(): SearchOutcome {
    if (this.required === 0) return this.success()
    let entry = this.next[this.head]!
    for (;;) {
      if (!this.budget.spend()) return { result: 'unknown', longest: this.callerIds(this.best()) }
      entry = (entry & 1) === 0 ? this.tryCall(entry) : this.backtrack()
      if (entry === DONE) return this.success()
      if (entry === EXHAUSTED) return { result: 'violation', longest: this.callerIds(this.longest) }
    }
  }

  /** Tries to linearize the operation whose call is `entry`; returns the next entry to look at. */
  private tryCall(entry: number): number {
    const i = entry >> 1
    const op = this.ops[i]!
    const [ok, next] = this.model.step(this.state, op.input, op.output)
    if (!ok) return this.next[entry]!
    if (op.optional && this.model.equal(next, this.state)) return this.next[entry]!
    const forced = !op.optional && this.readOnly[i] === 1
    this.linearized.add(i)
    if (!this.memo.add(this.linearized, next, this.model.hash(next))) {
      this.linearized.delete(i)
      return forced ? this.backtrack() : this.next[entry]!
    }
    this.stack.push({ entry, state: this.state, forced })
    this.state = next
    this.lift(entry)
    if (!op.optional && --this.required === 0) return DONE
    return this.next[this.head]!
  }

  /** Undoes the last choice (and every forced one below it); returns where to resume. */
  private backtrack(): number {
    if (this.stack.length > this.longest.length) this.longest = this.stack.map((f) => f.entry >> 1)
    for (;;) {
      const frame = this.stack.pop()
      if (frame === undefined) return EXHAUSTED
      const i = frame.entry >> 1
      this.state = frame.state
      this.linearized.delete(i)
      this.unlift(frame.entry)
      if (!this.ops[i]!.optional) this.required++
      if (!frame.forced) return this.next[frame.entry]!
    }
  }

  private success(): SearchOutcome {
    return { result: 'ok', linearization: this.callerIds(this.stack.map((f) => f.entry >> 1)) }
  }

  private best(): number[] {
    return this.stack.length > this.longest.length ? this.stack.map((f) => f.entry >> 1) : this.longest
  }

  private callerIds(ids: readonly number[]): number[] {
    return ids.map((i) => this.order[i]!)
  }

  private link(): void {
    const time = (e: number): number => {
      const op = this.ops[e >> 1]!
      return (e & 1) === 0 ? op.call : op.optional ? Infinity : op.return
    }
    const entries = Array.from({ length: this.head }, (_, e) => e)
    // Calls before returns at equal times: operations that touch count as concurrent.
    entries.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b)
    let last = this.head
    for (const e of entries) {
      this.next[last] = e
      this.prev[e] = last
      last = e
    }
    this.next[last] = -1
  }

  private lift(call: number): void {
    const { next, prev } = this
    next[prev[call]!] = next[call]!
    prev[next[call]!] = prev[call]!
    const ret = call | 1
    next[prev[ret]!] = next[ret]!
    if (next[ret] !== -1) prev[next[ret]!] = prev[ret]!
  }

  private unlift(call: number): void {
    const { next, prev } = this
    const ret = call | 1
    next[prev[ret]!] = ret
    if (next[ret] !== -1) prev[next[ret]!] = ret
    next[prev[call]!] = call
    prev[next[call]!] = call
  }
}
