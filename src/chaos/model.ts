// A sequential specification, in the style of Porcupine's Model: the checker searches for an
// order of the concurrent operations that this specification accepts.

/** What a client saw. `fail`: the operation definitely did not take effect. `unknown`: it may or may not have. */
export type Outcome<V> =
  | { readonly type: 'ok'; readonly value?: V }
  | { readonly type: 'fail'; readonly conflict?: boolean }
  | { readonly type: 'unknown' }

/** [accepted, state after]. When not accepted the second element is ignored. */
export type StepResult<S> = readonly [ok: boolean, next: S]

export interface Model<S, I, O extends Outcome<unknown>> {
  readonly name: string
  init(): S
  /**
   * Applies one operation. It must be pure: the search calls it again and again on old states.
   * For an `unknown` output it should accept whenever the operation could have happened, whatever it returned.
   */
  step(state: S, input: I, output: O): StepResult<S>
  equal(a: S, b: S): boolean
  /** A 32-bit hash consistent with `equal`. */
  hash(state: S): number
  /**
   * True when the operation can be left out of the search without changing the verdict:
   * it had no effect and observed nothing. Defaults to `output.type === 'fail'`.
   */
  prune?(input: I, output: O): boolean
  /**
   * True when the operation never changes the state, whatever the state (a read). The search takes
   * such operations as soon as the model accepts them and never tries them later. Default: false.
   */
  readOnly?(input: I, output: O): boolean
  describeState(state: S): string
  describeOperation(input: I, output: O): string
}

export function prunable<S, I, O extends Outcome<unknown>>(model: Model<S, I, O>, input: I, output: O): boolean {
  return model.prune ? model.prune(input, output) : output.type === 'fail'
}
