// Proves the end-to-end checks against the real core: disks that lose their last fsynced Ready in a crash
// break Raft's assumptions, and the simulator must notice within a few seeds.
import t from 'tap'
import { podmeshCore, simulate } from '../../../src/raft/sim/index.js'

t.test('a lying disk is caught', async (t) => {
  const found: string[] = []
  for (let seed = 1; seed <= 40 && found.length === 0; seed++) {
    const r = simulate({ seed, steps: 800, core: podmeshCore, forgetfulDisks: true, faults: { crash: 0.05, restart: 0.2 } })
    if (!r.ok) found.push(`seed ${r.seed}: [${r.violations[0]?.check}] ${r.violations[0]?.message}`)
  }
  t.equal(found.length, 1, found[0] ?? 'no violation in 40 seeds with forgetful disks')
})

t.test('an honest disk with the same faults is not', async (t) => {
  for (let seed = 1; seed <= 10; seed++) {
    const r = simulate({ seed, steps: 800, core: podmeshCore, faults: { crash: 0.05, restart: 0.2 } })
    t.ok(r.ok, `seed ${r.seed}: ${r.violations[0]?.message ?? 'ok'}`)
  }
})
