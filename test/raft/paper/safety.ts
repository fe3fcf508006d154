// The safety properties of Figure 3, checked over a Cluster between steps of a scenario.
import type { Cluster } from './harness.js'
import type { NodeId } from '../../../src/raft/types.js'

export class SafetyChecker {
  /** Entries seen applied anywhere (hence committed), as "index:term", as of the end of the last check. */
  private committed = new Map<number, number>()
  private leaders = new Map<number, NodeId>()
  readonly violations: string[] = []

  constructor(private readonly c: Cluster) {}

  /** Call after every step; `label` names the step in any violation. */
  check(label: string): void {
    const known = new Map(this.committed)
    this.electionSafety(label, known)
    this.stateMachineSafety(label)
  }

  /** Election Safety: at most one leader per term. Leader Completeness: a new leader holds every entry committed before it. */
  private electionSafety(label: string, known: Map<number, number>): void {
    for (const p of this.c.peers.values()) {
      if (!p.up || p.role !== 'leader') continue
      const prev = this.leaders.get(p.term)
      if (prev !== undefined && prev !== p.id) this.violations.push(`${label}: two leaders in term ${p.term}: ${prev} and ${p.id}`)
      if (prev !== undefined) continue
      this.leaders.set(p.term, p.id)
      const log = new Map(p.log().map((e) => [e.index, e.term]))
      for (const [index, term] of known) {
        if (log.get(index) !== term) this.violations.push(`${label}: leader ${p.id} of term ${p.term} lacks committed entry ${index}:${term}`)
      }
    }
  }

  /** State Machine Safety: no two servers apply different entries at the same index. */
  private stateMachineSafety(label: string): void {
    for (const p of this.c.peers.values()) {
      for (const e of p.applied) {
        const term = this.committed.get(e.index)
        if (term === undefined) this.committed.set(e.index, e.term)
        else if (term !== e.term) this.violations.push(`${label}: ${p.id} applied ${e.index}:${e.term}, another server ${e.index}:${term}`)
      }
      const idx = p.applied.map((e) => e.index)
      if (idx.some((v, i) => i > 0 && v !== (idx[i - 1] ?? 0) + 1)) this.violations.push(`${label}: ${p.id} applied out of order: ${idx.join(',')}`)
    }
  }
}
