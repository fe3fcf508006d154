// kill -9 of the leader while many clients write: every acknowledged write survives on every node.
// A client may get an error or an Indeterminate answer, never a success for a write that is then lost.
import t from 'tap'
import { call, eventually, formThree, leaderOf, type AgentProcess } from './fleet.js'

const WRITERS = 16

t.test('no acknowledged write is lost when the leader is killed mid-stream', async (t) => {
  const { fleet, agents } = await formThree()
  t.teardown(() => fleet.destroy())
  t.teardown(() => void (t.passing() || console.error(fleet.logs())))
  const leader = (await leaderOf(agents))!
  const acked = new Map<string, string>()
  const outcomes = new Map<string, number>()
  let ackedAfterKill = 0
  let killed = false
  let stop = false

  const writer = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const alive = agents.filter((a) => !killed || a !== leader)
      const target: AgentProcess = alive[(w + i) % alive.length]!
      const name = `k-${w}-${i}`
      const value = `${w}.${i}`
      const r = await call<{ error?: string }>(target, 'PUT', `/v1/configmaps/${name}`, { data: { v: value } }, {}, 15_000)
      const label = r.status === 0 ? 'network' : `${r.status}${r.body.error ? ' ' + r.body.error : ''}`
      outcomes.set(label, (outcomes.get(label) ?? 0) + 1)
      if (r.status === 201) {
        acked.set(name, value)
        if (killed) ackedAfterKill++
      } else if (r.status === 0 || r.status >= 500) await new Promise((res) => setTimeout(res, 20))
      else t.fail(`unexpected answer ${label} for ${name}`)
    }
  }
  const writing = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)))
  await eventually('writes flow', async () => acked.size >= 50)
  const ackedBeforeKill = acked.size
  leader.kill9()
  killed = true
  await leader.waitForExit()
  await eventually('writes flow again after the failover', async () => ackedAfterKill >= 50, 30_000)
  stop = true
  await writing
  t.comment(`answers: ${JSON.stringify(Object.fromEntries(outcomes))}; acked ${ackedBeforeKill} before the kill, ${ackedAfterKill} after`)

  leader.start('start')
  for (const a of agents) {
    const missing = await eventually(
      `${a.name} holds every acknowledged write`,
      async () => {
        const r = await call<{ items: { metadata: { name: string }; data: { v: string } }[] }>(a, 'GET', '/v1/configmaps?stale=true', undefined, {}, 5_000)
        if (r.status !== 200) return undefined
        const stored = new Map(r.body.items.map((o) => [o.metadata.name, o.data.v]))
        const lost = [...acked].filter(([k, v]) => stored.get(k) !== v)
        return lost.length === 0 ? lost : undefined
      },
      60_000,
      500,
    ).catch(() => ['timeout'])
    t.same(missing, [], `${a.name}: all ${acked.size} acknowledged writes present with their values`)
  }
})
