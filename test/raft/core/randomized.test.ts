// Randomized interaction tests: a lossy, reordering, duplicating network with partitions and restarts.
// Checks election safety (one leader per term), state machine safety (applied logs agree), liveness
// after healing, and that no input makes the core throw. Seeded: CORE_SEED=<n> replays one seed.
import t, { type Test } from 'tap'
import { randInt, seededRand, type Rand } from '../../../src/raft/rand.js'
import type { Entry, Message } from '../../../src/raft/types.js'
import { Cluster, bytes, type Member } from './cluster.js'

const IDS = ['a', 'b', 'c', 'd', 'e']
const envSeed = process.env['CORE_SEED']
const envCount = Number(process.env['CORE_SEEDS'] ?? 8) // CORE_SEEDS=<n> runs seeds 1..n (a longer soak)
const SEEDS = envSeed !== undefined && envSeed !== '' ? [Number(envSeed)] : Array.from({ length: envCount }, (_, i) => i + 1)

function shuffle<T>(rand: Rand, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = randInt(rand, 0, i + 1)
    ;[xs[i], xs[j]] = [xs[j], xs[i]]
  }
  return xs
}

/** One round of a hostile network: drop 10%, duplicate 5%, deliver the rest in random order. */
function chaoticDeliver(c: Cluster, rand: Rand, cut: ReadonlySet<string>): void {
  const batch: Message[] = []
  for (const m of c.queue) {
    if (cut.has(m.from) !== cut.has(m.to)) continue
    const p = rand()
    if (p < 0.1) continue
    batch.push(m)
    if (p > 0.95) batch.push(m)
  }
  c.queue = []
  for (const m of shuffle(rand, batch)) c.members.get(m.to)?.node.step(m)
}

function checkApplied(t: Test, c: Cluster, seed: number): void {
  const byIndex = new Map<number, Entry>()
  for (const m of c.members.values()) {
    for (const e of m.applied) {
      const prior = byIndex.get(e.index)
      if (prior === undefined) byIndex.set(e.index, e)
      else if (prior.term !== e.term || Buffer.compare(prior.data, e.data) !== 0) {
        t.fail(`seed ${seed}: ${m.id} applied a different entry at ${e.index}`)
        return
      }
    }
  }
  t.pass(`seed ${seed}: applied entries agree (${byIndex.size} indexes)`)
}

let termsWithLeader = 0
let snapshotsInstalled = 0
let confChanges = 0

/** The driver's compaction: snapshot at the applied index, keep a few entries behind it. */
function compact(m: Member, rand: Rand): void {
  const st = m.node.status()
  const snapIndex = m.storage.snapshot().metadata.index
  if (st.applied <= snapIndex) return
  m.storage.createSnapshot(st.applied, st.conf, bytes(`state@${st.applied}`))
  m.storage.compact(Math.max(snapIndex + 1, st.applied - randInt(rand, 0, 3)))
}

function run(t: Test, seed: number): void {
  const rand = seededRand(seed)
  const c = Cluster.withVoters(IDS, seed)
  const leaderOfTerm = new Map<number, string>()
  let cut = new Set<string>()
  let proposed = 0
  for (let step = 0; step < 600; step++) {
    // Every 100 steps a new partition: up to three of five nodes cut off (so sometimes the majority).
    if (step % 100 === 0) cut = step < 500 ? new Set(shuffle(rand, [...IDS]).slice(0, randInt(rand, 0, 4))) : new Set()
    for (const m of c.members.values()) if (rand() < 0.5) m.node.tick()
    const l = c.leader()
    if (l !== undefined && rand() < 0.3) {
      if (l.node.propose(bytes(`p${proposed}`)).ok) proposed++
    }
    if (l !== undefined && rand() < 0.02) {
      // Demote or promote one node; keep at least three voters.
      const id = IDS[randInt(rand, 0, IDS.length)]
      const conf = l.node.status().conf
      const type = conf.voters.includes(id) ? 'addLearner' : 'addVoter'
      if (type === 'addVoter' || conf.voters.length > 3) l.node.proposeConfChange({ type, node: id })
    }
    if (rand() < 0.03) compact(c.get(IDS[randInt(rand, 0, IDS.length)]), rand)
    if (rand() < 0.02) {
      const id = IDS[randInt(rand, 0, IDS.length)]
      const m = c.get(id)
      c.add(id, m.storage, { applied: m.node.status().applied }).applied = m.applied
    }
    for (const id of IDS) while (c.processReady(id)) { /* drain */ }
    chaoticDeliver(c, rand, cut)
    for (const m of c.members.values()) {
      const st = m.node.status()
      if (st.role !== 'leader') continue
      const known = leaderOfTerm.get(st.term)
      if (known !== undefined && known !== m.id) t.fail(`seed ${seed}: two leaders in term ${st.term}: ${known} and ${m.id}`)
      leaderOfTerm.set(st.term, m.id)
    }
  }
  checkApplied(t, c, seed)
  termsWithLeader += leaderOfTerm.size
  for (const m of c.members.values()) {
    snapshotsInstalled += m.snapshotsApplied
    confChanges += m.events.filter((e) => e.type === 'confChanged').length
  }
  // Healed: a leader emerges and a proposal commits everywhere.
  for (let i = 0; i < 200 && c.leader() === undefined; i++) c.tickAll()
  const l = c.leader()
  t.ok(l, `seed ${seed}: a leader after healing`)
  if (l === undefined) return
  const res = l.node.propose(bytes('final'))
  c.tickAll(5)
  t.ok(res.ok)
  for (const id of IDS) t.ok(c.appliedData(id).includes('final'), `seed ${seed}: ${id} applied the final proposal`)
  checkApplied(t, c, seed)
}

for (const seed of SEEDS) {
  t.test(`random network, partitions and restarts (seed ${seed})`, async (t) => {
    run(t, seed)
  })
}

if (SEEDS.length > 1) {
  t.test('the scenarios are not trivial', async (t) => {
    t.ok(termsWithLeader > SEEDS.length, `${termsWithLeader} terms had a leader over ${SEEDS.length} seeds`)
    t.ok(snapshotsInstalled > 0, `${snapshotsInstalled} snapshots installed`)
    t.ok(confChanges > 0, `${confChanges} conf changes applied`)
  })
}
