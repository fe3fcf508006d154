// Checks a recorded history of a key-value register for linearizability.
//
//   const report = checkLinearizability(history, { deadlineMs: 60_000 })
//   if (report.result !== 'ok') console.log(formatReport(report))
//
// Keys are independent (P-compositionality), so each key's sub-history is searched on its own;
// the budget is shared. A violation on any key is definitive; if the budget runs out first on
// some key and no other key fails, the verdict is `unknown`.

import { Budget } from './budget.js'
import { explainViolation, formatViolation } from './explain.js'
import { partitionByKey } from './history.js'
import { registerModel } from './register-model.js'
import { search } from './wgl.js'
import type { BudgetOptions } from './budget.js'
import type { Violation } from './explain.js'
import type { Operation } from './history.js'
import type { Model, Outcome } from './model.js'
import type { RegisterInput, RegisterModelOptions, RegisterOutput } from './register-model.js'

export type Verdict = 'ok' | 'violation' | 'unknown'

export interface KeySummary {
  readonly key: string
  /** `unknown` also for keys never reached because the budget ran out. */
  readonly result: Verdict
  /** Operations searched, and left out as unable to change the verdict. */
  readonly operations: number
  readonly pruned: number
  readonly steps: number
}

export interface LinearizabilityReport {
  readonly result: Verdict
  /** Set when result is `unknown`. */
  readonly reason?: 'budget'
  readonly model: string
  readonly operations: number
  readonly steps: number
  readonly keys: readonly KeySummary[]
  readonly violations: readonly Violation[]
}

export interface CheckOptions extends BudgetOptions {
  /** Stop at the first key that fails instead of checking (and reporting) every key. Default false. */
  readonly stopOnViolation?: boolean
}

export type RegisterOperation = Operation<RegisterInput, RegisterOutput>

export interface RegisterCheckOptions extends CheckOptions, RegisterModelOptions {}

/** Checks a register history (the chaos workload) against the cas-register model. Throws HistoryError. */
export function checkLinearizability(
  history: readonly RegisterOperation[],
  options: RegisterCheckOptions = {},
): LinearizabilityReport {
  return checkHistory(registerModel({ initial: options.initial ?? null }), history, options)
}

/** Checks a history against any model. Throws HistoryError if the history is malformed. */
export function checkHistory<S, I, O extends Outcome<unknown>>(
  model: Model<S, I, O>,
  history: readonly Operation<I, O>[],
  options: CheckOptions = {},
): LinearizabilityReport {
  const partitions = partitionByKey(model, history)
  const budget = new Budget(options)
  const keys: KeySummary[] = []
  const violations: Violation[] = []
  for (const part of partitions) {
    const summary = { key: part.key, operations: part.ops.length, pruned: part.pruned }
    const skip = budget.exhausted || (options.stopOnViolation === true && violations.length > 0)
    if (skip) {
      keys.push({ ...summary, result: 'unknown', steps: 0 })
      continue
    }
    const before = budget.steps
    const outcome = search(model, part.ops, budget)
    keys.push({ ...summary, result: outcome.result, steps: budget.steps - before })
    if (outcome.result === 'violation') violations.push(explainViolation(model, part, outcome.longest))
  }
  const result: Verdict =
    violations.length > 0 ? 'violation' : keys.some((k) => k.result === 'unknown') ? 'unknown' : 'ok'
  return {
    result,
    ...(result === 'unknown' ? { reason: 'budget' as const } : {}),
    model: model.name,
    operations: history.length,
    steps: budget.steps,
    keys,
    violations,
  }
}

export function formatReport(report: LinearizabilityReport): string {
  const unknown = report.keys.filter((k) => k.result === 'unknown').length
  const head =
    `linearizability (${report.model}): ${report.result.toUpperCase()}` +
    ` - ${report.operations} operations, ${report.keys.length} keys, ${report.steps} steps` +
    (report.violations.length > 0 ? `, ${report.violations.length} keys not linearizable` : '') +
    (unknown > 0 ? `, ${unknown} keys not decided (budget spent)` : '')
  return [head, ...report.violations.map(formatViolation)].join('\n')
}

/** The report as plain JSON data, for a report file. */
export function reportToJSON(report: LinearizabilityReport): unknown {
  return JSON.parse(JSON.stringify(report))
}

export { HistoryError } from './errors.js'
export { registerModel, formatValue } from './register-model.js'
export { formatViolation } from './explain.js'
export type { Violation, OpView } from './explain.js'
export type { Operation, OpId } from './history.js'
export type { Model, Outcome, StepResult } from './model.js'
export type { RegisterInput, RegisterOutput, RegisterValue, RegisterModelOptions } from './register-model.js'
export type { BudgetOptions } from './budget.js'
