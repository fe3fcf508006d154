// The safety properties of Figure 3 (Election Safety, Log Matching, Leader Completeness, State Machine Safety), checked over a Cluster between steps of a scenario.
import type { Cluster } from './harness.js'
import { randInt } from '../../../src/raft/rand.js'
import type { Rand } from '../../../src/raft/rand.js'
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
      const snap = p.storage.snapshot().metadata.index
      for (const [index, term] of known) {
        if (index > snap && log.get(index) !== term) this.violations.push(`${label}: leader ${p.id} of term ${p.term} lacks committed entry ${index}:${term}`)
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
      for (const err of p.applyErrors.splice(0)) this.violations.push(`${label}: ${p.id}: ${err}`)
    }
    this.logMatching(label)
  }

  /** Log Matching: two logs holding an entry with the same index and term are identical up to it. */
  private logMatching(label: string): void {
    const logs = [...this.c.peers.values()].map((p) => ({ id: p.id, terms: new Map(p.log().map((e) => [e.index, e.term])) }))
    for (const [i, x] of logs.entries()) {
      for (const y of logs.slice(i + 1)) {
        const common = [...x.terms.keys()].filter((k) => y.terms.has(k))
        const top = common.filter((k) => x.terms.get(k) === y.terms.get(k)).reduce((m, k) => Math.max(m, k), 0)
        const bad = common.find((k) => k < top && x.terms.get(k) !== y.terms.get(k))
        if (bad !== undefined) this.violations.push(`${label}: ${x.id} and ${y.id} agree at ${top} but differ at ${bad}`)
      }
    }
  }
}

export const FIVE = ['a', 'b', 'c', 'd', 'e']

/** One random fault or action; returns its label. */
export function randomStep(c: Cluster, r: Rand, heals: Array<() => void>): string {
  const ids = FIVE
  const pick = (): string => ids[randInt(r, 0, ids.length)] ?? 'a'
  const down = ids.filter((id) => !c.peer(id).up)
  switch (randInt(r, 0, 9)) {
    case 7: {
      const id = pick()
      const at = c.peer(id).up ? c.peer(id).compact() : 0
      return `compact ${id} at ${at}`
    }
    case 8: {
      const lead = c.leader()
      if (lead === undefined) return 'noop'
      const inConf = lead.status().conf.learners.includes('f')
      const res = lead.node.proposeConfChange(inConf ? { type: 'remove', node: 'f' } : { type: 'addLearner', node: 'f' })
      c.stabilize()
      return `${inConf ? 'remove' : 'add'} learner f on ${lead.id}: ${res.ok ? 'ok' : res.reason}`
    }
    case 0: {
      const id = pick()
      heals.push(c.isolate(id))
      return `isolate ${id}`
    }
    case 1:
      heals.splice(0).forEach((h) => h())
      return 'heal'
    case 2: {
      const id = pick()
      if (down.length >= 2 || !c.peer(id).up) return 'noop'
      c.crash(id)
      return `crash ${id}`
    }
    case 3: {
      const id = down[0]
      if (id === undefined) return 'noop'
      c.restart(id)
      return `restart ${id}`
    }
    case 4: {
      const id = pick()
      if (!c.peer(id).up) return 'noop'
      c.peer(id).node.campaign()
      c.stabilize()
      return `campaign ${id}`
    }
    case 5: {
      const lead = c.leader()
      if (lead === undefined) return 'noop'
      const r2 = lead.node.propose(new TextEncoder().encode(`v${randInt(r, 0, 1e6)}`))
      c.stabilize()
      return `propose on ${lead.id}: ${r2.ok}`
    }
    default: {
      const n = randInt(r, 1, 25)
      c.tickAll(n)
      return `tick ${n}`
    }
  }
}
