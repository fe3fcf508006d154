// A read / write / compare-and-set register: one ConfigMap value.
//
// Compare-and-set on a resourceVersion maps onto compare-and-set on the value when every write
// puts a fresh value (what the workload does): the version a client read identifies the value it read.

import type { Model, Outcome, StepResult } from './model.js'

/** null: the key does not exist (a read of a missing ConfigMap returns ok with value null). */
export type RegisterValue = string | number | null

export type RegisterInput =
  | { readonly type: 'read' }
  | { readonly type: 'write'; readonly value: RegisterValue }
  | { readonly type: 'cas'; readonly expected: RegisterValue; readonly value: RegisterValue }

/**
 * `{ type: 'fail', conflict: true }` on a cas: the server said the expected value did not match (e.g. a 409),
 * which is an observation the checker verifies. Any other `fail` means "no effect, nothing observed".
 */
export type RegisterOutput = Outcome<RegisterValue>

export interface RegisterModelOptions {
  /** The value before the first operation. Defaults to null (the key does not exist). */
  readonly initial?: RegisterValue
}

export function registerModel(options: RegisterModelOptions = {}): Model<RegisterValue, RegisterInput, RegisterOutput> {
  const initial = options.initial ?? null
  return {
    name: 'cas-register',
    init: () => initial,
    step: stepRegister,
    equal: (a, b) => a === b,
    hash: hashValue,
    prune: (input, output) =>
      (output.type === 'fail' && !(input.type === 'cas' && output.conflict === true)) ||
      (input.type === 'read' && output.type === 'unknown'),
    readOnly: (input, output) => input.type === 'read' || output.type === 'fail',
    describeState: (state) => formatValue(state),
    describeOperation,
  }
}

function stepRegister(state: RegisterValue, input: RegisterInput, output: RegisterOutput): StepResult<RegisterValue> {
  switch (input.type) {
    case 'read':
      if (output.type !== 'ok') return [true, state]
      return [(output.value ?? null) === state, state]
    case 'write':
      return output.type === 'fail' ? [true, state] : [true, input.value]
    case 'cas': {
      const matches = input.expected === state
      if (output.type === 'ok') return [matches, input.value]
      if (output.type === 'unknown') return [true, matches ? input.value : state]
      return [output.conflict === true ? !matches : true, state]
    }
  }
}

export function formatValue(value: RegisterValue | undefined): string {
  if (value === undefined || value === null) return 'nil'
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}

function describeOperation(input: RegisterInput, output: RegisterOutput): string {
  const result = output.type === 'fail' && output.conflict === true ? 'conflict' : output.type
  switch (input.type) {
    case 'read':
      return output.type === 'ok' ? `read() -> ${formatValue(output.value)}` : `read() -> ${result}`
    case 'write':
      return `write(${formatValue(input.value)}) -> ${result}`
    case 'cas':
      return `cas(${formatValue(input.expected)} -> ${formatValue(input.value)}) -> ${result}`
  }
}

/** FNV-1a over the string form; numbers and strings that print alike collide, which `equal` resolves. */
function hashValue(value: RegisterValue): number {
  if (value === null) return 0x2545f491
  const text = typeof value === 'string' ? value : String(value)
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h | 0
}
