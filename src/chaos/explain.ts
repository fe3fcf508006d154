// Turns a failed search into something a person can read: where the longest linearizable
// prefix ends, what the state is there, and which operations cannot come next.

import type { Model, Outcome } from './model.js'
import type { OpId, Operation, Partition } from './history.js'

/** One recorded operation, JSON-safe, with a one-line description. */
export interface OpView {
  readonly id: OpId
  readonly client: string | number
  readonly call: number
  readonly return: number | null
  readonly input: unknown
  readonly output: unknown
  readonly text: string
}

export interface Violation {
  readonly key: string
  /** How many operations the longest linearizable prefix found holds. */
  readonly prefixLength: number
  /** Its operation ids, in linearization order. */
  readonly prefixIds: readonly OpId[]
  /** Its last few operations. */
  readonly prefixTail: readonly OpView[]
  /** The model state after the prefix. */
  readonly state: string
  /** The unlinearized operation that returned first: the search could not get past it. */
  readonly blocking: OpView | null
  /** Operations that could come next in real time but that the model rejects in `state`. */
  readonly rejected: readonly OpView[]
}

const TAIL = 10

export function explainViolation<S, I, O extends Outcome<unknown>>(
  model: Model<S, I, O>,
  part: Partition<I, O>,
  longest: readonly number[],
): Violation {
  let state = model.init()
  for (const i of longest) {
    const op = part.ops[i]!
    state = model.step(state, op.input, op.output)[1]
  }
  const inPrefix = new Set(longest)
  const rest = part.ops.map((_, i) => i).filter((i) => !inPrefix.has(i))
  let blocking: number | null = null
  for (const i of rest) {
    const op = part.ops[i]!
    if (!op.optional && (blocking === null || op.return < part.ops[blocking]!.return)) blocking = i
  }
  const deadline = blocking === null ? Infinity : part.ops[blocking]!.return
  const rejected = rest
    .filter((i) => part.ops[i]!.call <= deadline)
    .filter((i) => !model.step(state, part.ops[i]!.input, part.ops[i]!.output)[0])
    .sort((a, b) => part.ops[a]!.call - part.ops[b]!.call)
  const view = (i: number): OpView => viewOf(model, part.ops[i]!.source)
  return {
    key: part.key,
    prefixLength: longest.length,
    prefixIds: longest.map((i) => part.ops[i]!.source.id),
    prefixTail: longest.slice(-TAIL).map(view),
    state: model.describeState(state),
    blocking: blocking === null ? null : view(blocking),
    rejected: rejected.map(view),
  }
}

export function viewOf<S, I, O extends Outcome<unknown>>(model: Model<S, I, O>, op: Operation<I, O>): OpView {
  return {
    id: op.id,
    client: op.client,
    call: op.call,
    return: op.return,
    input: op.input,
    output: op.output,
    text: model.describeOperation(op.input, op.output),
  }
}

export function formatOp(op: OpView): string {
  const ret = op.return === null ? '...' : String(op.return)
  return `#${String(op.id)} client ${String(op.client)} [${op.call}, ${ret}] ${op.text}`
}

export function formatViolation(v: Violation): string {
  const lines = [`key ${JSON.stringify(v.key)}: not linearizable`]
  if (v.prefixLength === 0) {
    lines.push('  no operation could be linearized first')
  } else {
    const shown = v.prefixTail.length < v.prefixLength ? `, last ${v.prefixTail.length}` : ''
    lines.push(`  longest linearizable prefix: ${v.prefixLength} ops${shown}:`)
    for (const op of v.prefixTail) lines.push(`    ${formatOp(op)}`)
  }
  lines.push(`  state after it: ${v.state}`)
  if (v.blocking !== null) lines.push(`  cannot get past: ${formatOp(v.blocking)}`)
  if (v.rejected.length > 0) {
    lines.push(`  could not be linearized next (rejected in state ${v.state}):`)
    for (const op of v.rejected) lines.push(`    ${formatOp(op)}`)
  }
  return lines.join('\n')
}
