// Real agents refusing a data dir they must not use, saying what to do: a Raft log damaged while the node
// was stopped (never reachable on its mesh port meanwhile: a peer must not count on a node about to exit),
// and a data dir another agent is running on.
import { connect } from 'node:net'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { Level } from 'level'
import { ENTRIES_END, ENTRIES_START } from '../../src/raft/level-keys.js'
import { eventually, Fleet } from '../../src/fleet/local-fleet.js'

const answers = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host, port }, () => {
      s.destroy()
      resolve(true)
    })
    s.on('error', () => resolve(false))
  })

/** A one-node fleet whose node leads. */
async function oneLeader(t: Test) {
  const fleet = await Fleet.create()
  t.teardown(() => fleet.destroy())
  t.teardown(() => void (t.passing() || console.error(fleet.logs())))
  const a = await fleet.add({ name: 'a' })
  a.start()
  await eventually('a leads', async () => (await a.status())?.node.raftRole === 'leader')
  return { fleet, a }
}

t.test('a flipped byte in the newest entry: the agent exits with the problem and what to do, unreachable', async (t) => {
  const { a } = await oneLeader(t)
  const res = await fetch(`${a.server}/v1/configmaps/kept`, { method: 'PUT', body: JSON.stringify({ data: { v: '1' } }) })
  t.equal(res.status, 201)
  await a.stop()

  const db = new Level<Buffer, Buffer>(join(a.dataDir, 'raft'), { keyEncoding: 'buffer', valueEncoding: 'buffer' })
  await db.open()
  const [[key, value]] = await db.iterator({ gte: ENTRIES_START, lt: ENTRIES_END, reverse: true, limit: 1 }).all()
  value[value.length - 1] ^= 0x40
  await db.put(key, value)
  await db.close()

  a.output = ''
  a.start()
  let reached = false
  while (a.exitCode === undefined) {
    reached ||= await answers(a.host, a.meshPort)
    await new Promise((r) => setTimeout(r, 5))
  }
  t.not(a.exitCode, 0)
  t.match(a.output, new RegExp(`corrupt raft store in ${join(a.dataDir, 'raft')}: entry \\d+: checksum mismatch`))
  t.match(a.output, /remove it and re-join the cluster with `agent join`/)
  t.notOk(reached, 'nothing answered on its mesh port while it started')
})

t.test('a second agent on a running agent\'s data dir exits and says so, and the first goes on', async (t) => {
  const { fleet, a } = await oneLeader(t)
  const b = await fleet.add({ name: 'b', extraArgs: ['--data-dir', a.dataDir] })
  b.start()
  t.not(await b.waitForExit(), 0)
  t.match(b.output, new RegExp(`another agent is using this data dir \\(its Raft log ${join(a.dataDir, 'raft')} is locked\\)\\. Stop that agent, or give this one its own --data-dir`))
  t.equal((await a.status())?.node.raftRole, 'leader')
})
