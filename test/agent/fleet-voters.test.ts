// Real agent processes: how many voters a fleet has, and replacing a voter that stays lost.
import t from 'tap'
import { eventually, Fleet, runAgentCli, type AgentProcess } from '../../src/fleet/local-fleet.js'
import type { StatusView } from '../../src/agent/status-view.js'

const roles = (s: StatusView) => Object.fromEntries(s.members.map((m) => [m.name, m.role]))
const voterCount = (s: StatusView | undefined) => s?.members.filter((m) => m.role === 'voter').length ?? 0

async function formFleet(fleet: Fleet, names: string[], extraArgs: string[] = []): Promise<AgentProcess[]> {
  const first = await fleet.add({ name: names[0]!, extraArgs })
  first.start()
  await eventually(`${first.name} leads`, async () => (await first.status())?.node.raftRole === 'leader')
  const token = (await runAgentCli(['token', '--data-dir', first.dataDir])).stdout.trim()
  const agents = [first]
  for (const name of names.slice(1)) {
    const a = await fleet.add({ name, join: { peer: first.meshAddress, token }, extraArgs })
    a.start()
    await eventually(`${name} joined`, async () => (await first.status())?.members.some((m) => m.name === name))
    agents.push(a)
  }
  return agents
}

t.test('5 nodes give 5 voters, and a 6th node stays a non-voter', async (t) => {
  const fleet = await Fleet.create()
  t.teardown(() => fleet.destroy())
  t.teardown(() => void (t.passing() || console.error(fleet.logs())))
  const agents = await formFleet(fleet, ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'])
  const s = await eventually('5 voters and 6 members', async () => {
    const st = await agents[0]!.status()
    return st && st.members.length === 6 && voterCount(st) === 5 ? st : undefined
  })
  t.equal(Object.values(roles(s)).filter((r) => r === 'learner').length, 1)
  t.equal(roles(s).n6, 'learner', 'the sixth node to join is the non-voter')
  // And it stays so: no promotion beyond the target.
  await new Promise((r) => setTimeout(r, 2_000))
  t.equal(voterCount(await agents[0]!.status()), 5)
})

t.test('a voter killed for longer than the grace period is replaced by the healthy non-voter', async (t) => {
  const fleet = await Fleet.create()
  t.teardown(() => fleet.destroy())
  t.teardown(() => void (t.passing() || console.error(fleet.logs())))
  const agents = await formFleet(fleet, ['v1', 'v2', 'v3', 'spare'], ['--voter-grace', '3'])
  await eventually('3 voters and a spare', async () => {
    const st = await agents[0]!.status()
    return st && st.members.length === 4 && voterCount(st) === 3 && roles(st).spare === 'learner'
  })
  // Kill a voter that is not the leader, so the test shows the replacement and not a failover.
  const statuses = await Promise.all(agents.map((a) => a.status()))
  const victim = agents.find((_, i) => statuses[i]?.node.membership === 'voter' && statuses[i]?.node.raftRole !== 'leader')!
  victim.kill9()
  const survivors = agents.filter((a) => a !== victim)
  const after = await eventually(
    'the spare promoted and the lost voter demoted',
    async () => {
      const st = await survivors[0]!.status()
      return st && roles(st).spare === 'voter' && roles(st)[victim.name] === 'learner' && voterCount(st) === 3 ? st : undefined
    },
    60_000,
  )
  t.equal(voterCount(after), 3, 'the quorum size is back to 3 live voters')
  const w = await fetch(`${survivors[0]!.server}/v1/configmaps/still-writable`, { method: 'PUT', body: JSON.stringify({ data: { ok: 'yes' } }) })
  t.equal(w.status, 201, 'the fleet still commits writes')
})
