// How much search the checker may do before it gives up with `unknown`, shared by all keys.

export interface BudgetOptions {
  /** Search steps (one per candidate tried or backtrack) across all keys. Default: 50 million. */
  readonly maxSteps?: number
  /** Milliseconds of search, measured with `now`, from the start of the check. Default: no limit. */
  readonly deadlineMs?: number
  /** The clock for `deadlineMs`. Default: Date.now. */
  readonly now?: () => number
}

export const DEFAULT_MAX_STEPS = 50_000_000

/** How often, in steps, the clock is read. */
const CLOCK_EVERY = 1024

export class Budget {
  private used = 0
  private out = false
  private readonly maxSteps: number
  private readonly deadline: number
  private readonly now: () => number

  constructor(options: BudgetOptions = {}) {
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS
    this.now = options.now ?? Date.now
    this.deadline = options.deadlineMs === undefined ? Infinity : this.now() + options.deadlineMs
  }

  get steps(): number {
    return this.used
  }

  get exhausted(): boolean {
    return this.out
  }

  /** Takes one step; false once the budget is spent. */
  spend(): boolean {
    if (this.out) return false
    this.used++
    if (this.used > this.maxSteps) this.out = true
    else if (this.used % CLOCK_EVERY === 0 && this.deadline !== Infinity && this.now() >= this.deadline) this.out = true
    return !this.out
  }
}
