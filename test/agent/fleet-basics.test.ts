// Real agent processes on 127.0.0.1: forming a fleet, failover, restart, and a wrong token.
import t from 'tap'
import { createJoinToken, formatJoinToken } from '../../src/net/token.js'
import { eventually, Fleet, runAgentCli, type AgentProcess } from '../../src/fleet/local-fleet.js'

const leaderOf = async (agents: AgentProcess[]) => {
  for (const a of agents) {
    const s = await a.status()
    if (s?.leader && s.node.raftRole === 'leader') return { agent: a, status: s }
  }
  return undefined
}

const put = async (a: AgentProcess, name: string, value: string) => {
  const res = await fetch(`${a.server}/v1/configmaps/${name}`, { method: 'PUT', body: JSON.stringify({ data: { value } }), signal: AbortSignal.timeout(15_000) })
  return { status: res.status, body: (await res.json()) as { metadata?: { resourceVersion: string }; data?: { value: string } } }
}

t.test('start, a join through the first node and a join through a follower give 3 voters and one leader', async (t) => {
  const fleet = await Fleet.create()
  t.teardown(() => fleet.destroy())
  t.teardown(() => void (t.passing() || console.error(fleet.logs())))
  const a = await fleet.add({ name: 'a' })
  a.start()
  await eventually('a leads', async () => (await a.status())?.node.raftRole === 'leader')
  const token = (await runAgentCli(['token', '--data-dir', a.dataDir])).stdout.trim()
  t.match(token, /^pm1\./)

  const b = await fleet.add({ name: 'b', join: { peer: a.meshAddress, token } })
  b.start()
  await eventually('b is a member', async () => (await a.status())?.members.length === 2)
  const c = await fleet.add({ name: 'c', join: { peer: b.meshAddress, token } })
  c.start()

  const agents = [a, b, c]
  const status = await eventually('3 voters', async () => {
    const s = await c.status()
    return s && s.members.filter((m) => m.role === 'voter').length === 3 ? s : undefined
  })
  t.same(status.members.map((m) => m.name).sort(), ['a', 'b', 'c'])
  const leaders = (await Promise.all(agents.map((x) => x.status()))).filter((s) => s?.node.raftRole === 'leader')
  t.equal(leaders.length, 1, 'exactly one leader')

  t.test('a write on a follower is read on another node', async (t) => {
    const follower = (await Promise.all(agents.map(async (x) => ({ x, s: await x.status() })))).find((e) => e.s?.node.raftRole === 'follower')!.x
    const w = await put(follower, 'greeting', 'hello')
    t.equal(w.status, 201)
    const other = agents.find((x) => x !== follower)!
    const r = (await (await fetch(`${other.server}/v1/configmaps/greeting`)).json()) as { data: { value: string } }
    t.equal(r.data.value, 'hello')
  })

  t.test('kill -9 of the leader gives a new leader and a committed write; the killed node restarts and catches up', async (t) => {
    const old = (await leaderOf(agents))!
    old.agent.kill9()
    await old.agent.waitForExit()
    const rest = agents.filter((x) => x !== old.agent)
    const next = await eventually('a new leader', async () => {
      const l = await leaderOf(rest)
      return l && l.status.term > old.status.term ? l : undefined
    })
    t.not(next.agent, old.agent)
    const w = await put(rest[0]!, 'after-failover', 'committed')
    t.equal(w.status, 201)

    old.agent.start('start')
    await eventually('the restarted node applied the write', async () => {
      const res = await fetch(`${old.agent.server}/v1/configmaps/after-failover?stale=true`).catch(() => undefined)
      return res?.ok && ((await res.json()) as { data: { value: string } }).data.value === 'committed'
    })
    const s = await old.agent.status()
    t.equal(s?.node.membership, 'voter', 'it is still a voter')
  })

  t.test('a join with a wrong token fails with a clear message and leaves the cluster unchanged', async (t) => {
    const before = (await a.status())!.members.length
    const wrong = await fleet.add({ name: 'intruder', join: { peer: a.meshAddress, token: 'pm1.' + 'A'.repeat(48) } })
    wrong.start()
    const code = await wrong.waitForExit(30_000)
    t.not(code, 0)
    t.match(wrong.output, /token/i, 'the message names the token')
    const forged = await fleet.add({ name: 'intruder2', join: { peer: a.meshAddress, token: formatJoinToken(createJoinToken()) } })
    forged.start()
    t.not(await forged.waitForExit(60_000), 0)
    t.match(forged.output, /join token does not match/)
    t.equal((await a.status())!.members.length, before)
  })
})

