// The seed sweep: 1,000 seeded runs (334 with 3 nodes, 333 with 5, 333 with 7), each with faults, checked
// after every step. A failing seed fails with its violation and the command that replays it.
import t from 'tap'
import type { ClusterSize, SimResult } from '../../../src/raft/sim/index.js'
import { formatFailure, podmeshCore, replayCommand, simulate } from '../../../src/raft/sim/index.js'

/** Fault-phase steps per run in the sweep (200 ticks); the CLI's default run is twice as long. */
const STEPS = 800

const groups: Array<{ nodes: ClusterSize; from: number; to: number }> = [
  { nodes: 3, from: 1, to: 334 },
  { nodes: 5, from: 1001, to: 1333 },
  { nodes: 7, from: 2001, to: 2333 },
]

for (const g of groups) {
  t.test(`${g.to - g.from + 1} seeds (${g.from}..${g.to}) with ${g.nodes} nodes`, async (t) => {
    let elections = 0
    let acknowledged = 0
    let snapshots = 0
    let confChanges = 0
    const failed: SimResult[] = []
    for (let seed = g.from; seed <= g.to; seed++) {
      const r = simulate({ seed, nodes: g.nodes, steps: STEPS, core: podmeshCore })
      elections += r.stats.elections
      acknowledged += r.stats.acknowledged
      snapshots += r.stats.snapshotsSent
      confChanges += r.stats.confChanges
      if (!r.ok) failed.push(r)
    }
    for (const r of failed) {
      const flags = { seed: r.seed, nodes: g.nodes, steps: STEPS }
      const v = r.violations[0]
      t.fail(`seed ${r.seed} (${g.nodes} nodes): [${v?.check}] ${v?.message} — replay: ${replayCommand(flags)}`, {
        diagnostic: true,
        trace: formatFailure(r, flags, 60).join('\n'),
      })
    }
    t.equal(failed.length, 0, `seeds without a violation (failed: ${failed.map((r) => r.seed).join(', ') || 'none'})`)
    // The runs did exercise what they claim to check.
    t.ok(elections > g.to - g.from, `elections happened (${elections})`)
    t.ok(acknowledged > 0 && snapshots > 0 && confChanges > 0, `writes ${acknowledged}, snapshots sent ${snapshots}, conf changes ${confChanges}`)
  })
}
