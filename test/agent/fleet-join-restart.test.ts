// Real agent processes: a node killed with SIGKILL just after `agent join` returned, before it applied
// any of the log, and restarted with `agent start` on the same data dir. Its member directory (applied
// from the log) is empty then, so it knows no member's address; it must still answer the leader that
// reaches it, catch up and be promoted to voter (chaos seed 110: it never did, and the fleet stayed one
// voter short).
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { eventually, Fleet, runAgentCli, type AgentProcess } from '../../src/fleet/local-fleet.js'
import { LevelStorage } from '../../src/raft/level-storage.js'

const WRITES = 300

/** A leader and a non-voter (2 members: 1 voter), with some writes in the log; a third member makes the target 3 voters. */
async function twoNodeFleet(t: Test): Promise<{ fleet: Fleet; leader: AgentProcess; token: string }> {
  const fleet = await Fleet.create('podmesh-join-restart-')
  t.teardown(() => fleet.destroy())
  t.teardown(() => void (t.passing() || console.error(fleet.logs())))
  const leader = await fleet.add({ name: 'a' })
  leader.start()
  await eventually('a leads', async () => (await leader.status())?.node.raftRole === 'leader')
  const token = (await runAgentCli(['token', '--data-dir', leader.dataDir])).stdout.trim()
  const b = await fleet.add({ name: 'b', join: { peer: leader.meshAddress, token } })
  b.start()
  await eventually('b is a member', async () => (await leader.status())?.members.length === 2)
  for (let i = 0; i < WRITES; i += 20) {
    await Promise.all(
      Array.from({ length: 20 }, (_, j) =>
        fetch(`${leader.server}/v1/configmaps/cm-${i + j}`, { method: 'PUT', body: JSON.stringify({ data: { v: String(i + j) } }), signal: AbortSignal.timeout(15_000) }).then((r) => {
          if (r.status !== 201) throw new Error(`write cm-${i + j}: ${r.status}`)
        }),
      ),
    )
  }
  return { fleet, leader, token }
}

/** SIGKILLs the agent the moment its output matches `pattern`. */
function killWhen(a: AgentProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    const look = () => {
      if (!pattern.test(a.output)) return
      a.child!.stdout!.off('data', look)
      a.child!.stderr!.off('data', look)
      a.kill9()
      resolve()
    }
    a.child!.stdout!.on('data', look)
    a.child!.stderr!.on('data', look)
  })
}

/** Entries the agent's Raft store holds (its process stopped). */
async function storedEntries(a: AgentProcess): Promise<number> {
  const storage = await LevelStorage.open(join(a.dataDir, 'raft'))
  try {
    const { lastIndex, firstIndex } = storage.load()
    return lastIndex - firstIndex + 1
  } finally {
    await storage.close()
  }
}

async function joinKillRestart(t: Test, moment: RegExp): Promise<void> {
  const { fleet, leader, token } = await twoNodeFleet(t)
  const c = await fleet.add({ name: 'c', join: { peer: leader.meshAddress, token } })
  c.start()
  await killWhen(c, moment)
  await c.waitForExit()
  t.comment(`c was killed holding ${await storedEntries(c)} entries of the log`)
  const commit = (await leader.status())!.commit
  c.start('start')
  const caughtUp = await eventually(
    `c applies the log up to ${commit}`,
    async () => {
      const s = await c.status()
      return s && s.applied >= commit ? s : undefined
    },
    30_000,
  )
  t.ok(caughtUp.applied >= commit, `c applied ${caughtUp.applied} >= ${commit}`)
  const roles = await eventually(
    'c promoted to voter',
    async () => {
      const s = await leader.status()
      const r = Object.fromEntries((s?.members ?? []).map((m) => [m.name, m.role]))
      return r.c === 'voter' && r.b === 'voter' ? r : undefined
    },
    30_000,
  )
  t.same(roles, { a: 'voter', b: 'voter', c: 'voter' }, 'the fleet reaches its target of 3 voters')
  t.match(c.output, /Resumed from the data dir\./)
}

// c logs "leader is now" on the leader's first message, which it cannot have answered yet: nothing of the
// log is stored, the on-disk state of chaos seed 110 (cluster.json and the identity, no entries).
t.test('killed as soon as it heard from the leader', async (t) => {
  await joinKillRestart(t, /"leader is now/)
})

t.test('killed the moment join returned', async (t) => {
  await joinKillRestart(t, /Joined the cluster/)
})

t.test('killed while catching up (after it applied the first entries)', async (t) => {
  await joinKillRestart(t, /"membership: /)
})
