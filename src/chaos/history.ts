// The history the chaos tool records, and its preparation for the search: validation,
// P-compositionality (one independent sub-history per key) and pruning of no-op operations.

import { HistoryError } from './errors.js'
import { prunable } from './model.js'
import type { Model, Outcome } from './model.js'
import type { SearchOp } from './wgl.js'

export type OpId = string | number

export interface Operation<I, O extends Outcome<unknown>> {
  readonly id: OpId
  readonly client: string | number
  /** Operations on different keys are independent (P-compositionality) and are checked separately. */
  readonly key: string
  readonly input: I
  /** Monotonic time at which the client sent the request. */
  readonly call: number
  /** Monotonic time at which the client got the answer; null when it never did (output must then be unknown). */
  readonly return: number | null
  readonly output: O
}

/** One key's operations, ready for the search. `ops[i].source` is the recorded operation. */
export interface Partition<I, O extends Outcome<unknown>> {
  readonly key: string
  readonly ops: readonly PreparedOp<I, O>[]
  /** Operations left out because they cannot change the verdict (failed writes, reads with unknown outcome). */
  readonly pruned: number
}

export interface PreparedOp<I, O extends Outcome<unknown>> extends SearchOp<I, O> {
  readonly source: Operation<I, O>
}

export function validateOperation(op: Operation<unknown, Outcome<unknown>>): void {
  if (typeof op.key !== 'string') throw new HistoryError(`operation ${String(op.id)}: key must be a string`, op.id)
  if (!Number.isFinite(op.call)) throw new HistoryError(`operation ${String(op.id)}: call must be a finite number`, op.id)
  const kind = op.output?.type
  if (kind !== 'ok' && kind !== 'fail' && kind !== 'unknown') {
    throw new HistoryError(`operation ${String(op.id)}: output.type must be ok, fail or unknown`, op.id)
  }
  if (op.return === null) {
    if (kind !== 'unknown') throw new HistoryError(`operation ${String(op.id)}: no return time but a ${kind} output`, op.id)
    return
  }
  if (typeof op.return !== 'number' || Number.isNaN(op.return)) {
    throw new HistoryError(`operation ${String(op.id)}: return must be a number or null`, op.id)
  }
  if (op.return < op.call) throw new HistoryError(`operation ${String(op.id)}: returns before its call`, op.id)
}

/** Validates the history and splits it by key, keys in sorted order. Throws HistoryError. */
export function partitionByKey<S, I, O extends Outcome<unknown>>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
): Partition<I, O>[] {
  const seen = new Set<OpId>()
  const byKey = new Map<string, { ops: PreparedOp<I, O>[]; pruned: number }>()
  for (const op of history) {
    validateOperation(op as Operation<unknown, Outcome<unknown>>)
    if (seen.has(op.id)) throw new HistoryError(`duplicate operation id ${String(op.id)}`, op.id)
    seen.add(op.id)
    let part = byKey.get(op.key)
    if (part === undefined) {
      part = { ops: [], pruned: 0 }
      byKey.set(op.key, part)
    }
    if (prunable(model, op.input, op.output)) {
      part.pruned++
      continue
    }
    const optional = op.output.type === 'unknown'
    part.ops.push({
      input: op.input,
      output: op.output,
      call: op.call,
      // An unknown outcome may take effect at any time after its call, or never.
      return: optional || op.return === null ? Infinity : op.return,
      optional,
      source: op,
    })
  }
  const keys = [...byKey.keys()].sort()
  return keys.map((key) => {
    const part = byKey.get(key)!
    return { key, ops: part.ops, pruned: part.pruned }
  })
}
