// End to end: a core that breaks Raft must make simulate() fail, with the seed and the replay command.
import t from 'tap'
import { Check, formatFailure, simulate } from '../../../src/raft/sim/index.js'
import { brokenCore } from './broken-core.js'

t.test('a core electing every node leader of term 1 fails election safety', async (t) => {
  const r = simulate({ seed: 42, nodes: 3, steps: 200, faults: false, core: brokenCore({ commitAlone: false }) })
  t.notOk(r.ok)
  t.equal(r.violations[0]?.check, Check.electionSafety)
  const report = formatFailure(r, { seed: 42, nodes: 3, steps: 200 }).join('\n')
  t.match(report, /FAIL seed 42/)
  t.match(report, /replay: npm run sim -- --seed 42 --nodes 3 --steps 200/)
  t.match(report, /t=\d+ n2 becomes leader term 1/)
})

t.test('leaders of distinct terms each committing alone lose acknowledged writes', async (t) => {
  const r = simulate({ seed: 7, nodes: 5, steps: 400, faults: false, core: brokenCore({ commitAlone: true, distinctTerms: true }) })
  t.notOk(r.ok)
  t.equal(r.violations[0]?.check, Check.durability)
  t.match(r.violations[0]?.message ?? '', /acknowledged proposal lost/)
})

t.test('the same seed replays the same run', async (t) => {
  const a = simulate({ seed: 9, nodes: 3, steps: 100, faults: false, core: brokenCore({ commitAlone: false }) })
  const b = simulate({ seed: 9, nodes: 3, steps: 100, faults: false, core: brokenCore({ commitAlone: false }) })
  t.same(a.trace.format(), b.trace.format())
})
