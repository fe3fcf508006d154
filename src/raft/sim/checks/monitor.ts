import type { Trace } from '../trace.js'
import type { CheckName, Violation } from '../violation.js'
import { Check } from '../violation.js'
import { Durability } from './durability.js'
import { ElectionSafety } from './election-safety.js'
import { HardStateSafety } from './hard-state.js'
import { LeaderCompleteness } from './leader-completeness.js'
import { LinearizableReads } from './linearizable-reads.js'
import { Liveness } from './liveness.js'
import { LogMatching } from './log-matching.js'
import { StateMachineSafety } from './state-machine-safety.js'

/** All the checkers of one run, and the violations they reported, stamped with the step and traced. */
export class Monitor {
  readonly electionSafety = new ElectionSafety()
  readonly hardState = new HardStateSafety()
  readonly logMatching = new LogMatching()
  readonly leaderCompleteness = new LeaderCompleteness()
  readonly stateMachine = new StateMachineSafety()
  readonly durability = new Durability()
  readonly reads = new LinearizableReads()
  readonly liveness: Liveness
  readonly violations: Violation[] = []

  constructor(
    readonly trace: Trace,
    readonly now: () => number,
    liveness: { leaderTicks: number; commitTicks: number },
  ) {
    this.liveness = new Liveness(liveness.leaderTicks, liveness.commitTicks)
  }

  get ok(): boolean {
    return this.violations.length === 0
  }

  /** Records `message` as a violation of `check`, when there is one. */
  report(check: CheckName, message: string | undefined): void {
    if (message === undefined) return
    this.violations.push({ check, step: this.now(), message })
    this.trace.add(`VIOLATION [${check}] ${message}`)
  }

  coreError(node: string, what: string, err: unknown): void {
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
    this.report(Check.coreContract, `${node} ${what} threw ${detail}`)
  }
}
