// Proves the end-to-end checks against the real core: break one of Raft's assumptions around it
// and the simulator must notice within a few seeds; leave it alone and it must stay quiet.
import t from 'tap'
import type { Core } from '../../../src/raft/sim/index.js'
import { Check, podmeshCore, simulate } from '../../../src/raft/sim/index.js'
import type { Message } from '../../../src/raft/types.js'

/** The real core behind a transport that inflates every candidate's last log term: voters skip the §5.4.1 check. */
const forgedVotes: Core = {
  ...podmeshCore,
  newNode: (cfg) => {
    const node = podmeshCore.newNode(cfg)
    const step = node.step.bind(node)
    node.step = (m: Message) => step(m.type === 'vote' || m.type === 'preVote' ? { ...m, lastLogTerm: m.term } : m)
    return node
  },
}

function firstFailure(seeds: number, opts: Omit<Parameters<typeof simulate>[0], 'seed'>): string | undefined {
  for (let seed = 1; seed <= seeds; seed++) {
    const r = simulate({ ...opts, seed })
    const v = r.violations[0]
    if (v !== undefined) return `seed ${seed}: [${v.check}] ${v.message}`
  }
  return undefined
}

t.test('disks that lose their last fsynced Ready in a crash are caught', async (t) => {
  const found = firstFailure(40, { steps: 800, core: podmeshCore, forgetfulDisks: true, faults: { crash: 0.05, restart: 0.2 } })
  t.ok(found, found ?? 'no violation in 40 seeds with forgetful disks')
})

t.test('votes granted to out-of-date candidates are caught by leader completeness', async (t) => {
  const found = firstFailure(40, { steps: 800, core: forgedVotes })
  t.match(found, Check.leaderCompleteness, found ?? 'no violation in 40 seeds with forged votes')
})

t.test('an honest disk and transport with the same faults are not', async (t) => {
  for (let seed = 1; seed <= 10; seed++) {
    const r = simulate({ seed, steps: 800, core: podmeshCore, faults: { crash: 0.05, restart: 0.2 } })
    t.ok(r.ok, `seed ${r.seed}: ${r.violations[0]?.message ?? 'ok'}`)
  }
})

t.test('a seed replays exactly: same trace, same stats', async (t) => {
  const a = simulate({ seed: 77, steps: 400, core: podmeshCore, verbose: true })
  const b = simulate({ seed: 77, steps: 400, core: podmeshCore, verbose: true })
  t.same(a.trace.format(), b.trace.format())
  t.same(a.stats, b.stats)
  t.ok(a.trace.lines.length > 100, 'the verbose trace has every message')
  const c = simulate({ seed: 77, nodes: a.stats.nodes as 3 | 5 | 7, steps: 400, core: podmeshCore, verbose: true })
  t.same(c.trace.format(), a.trace.format(), 'naming the drawn cluster size does not change the run')
})
