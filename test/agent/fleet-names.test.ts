// Real agent processes: a join whose --name another member holds (two agents would run one Node).
import t from 'tap'
import { eventually, Fleet, runAgentCli, type AgentProcess } from '../../src/fleet/local-fleet.js'
import type { StatusView } from '../../src/agent/status-view.js'

const names = (s: StatusView | undefined) => (s?.members.map((m) => m.name) ?? []).sort()
const voters = (s: StatusView | undefined) => s?.members.filter((m) => m.role === 'voter').length ?? 0

async function formFleet(fleet: Fleet, extraArgs: string[]): Promise<{ agents: AgentProcess[]; token: string }> {
  const first = await fleet.add({ name: 'xb1', extraArgs })
  first.start()
  await eventually('xb1 leads', async () => (await first.status())?.node.raftRole === 'leader')
  const token = (await runAgentCli(['token', '--data-dir', first.dataDir])).stdout.trim()
  const agents = [first]
  for (const name of ['xb2', 'xb3']) {
    const a = await fleet.add({ name, join: { peer: first.meshAddress, token }, extraArgs })
    a.start()
    agents.push(a)
  }
  await eventually('3 voters', async () => voters(await first.status()) === 3, 60_000)
  return { agents, token }
}

t.test('a join with the name of a member that is up is refused, and the fleet is unchanged', async (t) => {
  const fleet = await Fleet.create()
  t.teardown(() => fleet.destroy())
  t.teardown(() => void (t.passing() || console.error(fleet.logs())))
  const { agents, token } = await formFleet(fleet, [])
  const [xb1, xb2] = agents as [AgentProcess, AgentProcess]

  const dup = await fleet.add({ name: 'xb2', dir: 'xb2-again', join: { peer: xb1.meshAddress, token } })
  dup.start()
  t.not(await dup.waitForExit(30_000), 0, 'the duplicate exits with an error')
  t.match(dup.output, /the name "xb2" is taken by member …\S+ \(127\.0\.0\.1:\d+\), which is up\. Choose another --name, or stop that node and run `agent leave` on it/)
  const s = await xb1.status()
  t.same(names(s), ['xb1', 'xb2', 'xb3'], 'no second xb2')

  t.test('the same node restarted with its own data dir resumes, by start or by join', async (t) => {
    const id = (await xb2.status())!.node.id
    for (const mode of ['start', 'join'] as const) {
      xb2.kill9()
      await xb2.waitForExit()
      xb2.start(mode)
      const st = await eventually(`xb2 back (${mode})`, async () => {
        const x = await xb2.status()
        return x?.node.membership === 'voter' ? x : undefined
      })
      t.equal(st.node.id, id, 'same member id')
      t.same(names(await xb1.status()), ['xb1', 'xb2', 'xb3'])
    }
  })
})

t.test('a new node takes over the name of a member silent for longer than the voter grace', async (t) => {
  const fleet = await Fleet.create()
  t.teardown(() => fleet.destroy())
  t.teardown(() => void (t.passing() || console.error(fleet.logs())))
  const { agents, token } = await formFleet(fleet, ['--voter-grace', '3'])
  const [xb1, , xb3] = agents as [AgentProcess, AgentProcess, AgentProcess]
  const oldId = (await xb3.status())!.node.id
  xb3.kill9()
  await xb3.waitForExit()
  await new Promise((r) => setTimeout(r, 4_500))

  const fresh = await fleet.add({ name: 'xb3', dir: 'xb3-fresh', join: { peer: xb1.meshAddress, token }, extraArgs: ['--voter-grace', '3'] })
  fresh.start()
  const s = await eventually('xb3 is one member again, with a new id, and 3 voters', async () => {
    const x = await xb1.status()
    return x && names(x).join() === 'xb1,xb2,xb3' && voters(x) === 3 && !x.members.some((m) => m.id === oldId) ? x : undefined
  }, 60_000)
  t.not(s.members.find((m) => m.name === 'xb3')!.id, oldId)
})
