// Three real agents with the fake runtime: a 6-replica deployment spreads 2/2/2; a pod that fits
// nowhere stays Pending with the reason; kill -9 of an agent moves its replicas to the other two and
// the node turns NotReady; when it restarts, its old pods are deleted (each replica runs exactly once);
// cordon, drain and uncordon.
import t from 'tap'
import { apply, deployment, eventually, leaderOf, pods, readyNodes, runningPerNode, threeAgents, type Json } from './harness.js'

const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0)

t.test('deployments, node loss and return, cordon and drain on three agents', async (t) => {
  const cluster = await threeAgents()
  t.teardown(() => cluster.destroy())
  t.teardown(() => void (t.passing() || console.error(cluster.logs())))
  const [a, b] = cluster.agents as [(typeof cluster.agents)[0], (typeof cluster.agents)[0]]

  t.equal(await apply(a, deployment('web', 6)), 200)
  const spread = await eventually('6 running replicas', async () => {
    const m = runningPerNode((await pods(a, 'app=web')) ?? [])
    return sum(m) === 6 ? m : undefined
  })
  t.same(spread, { a: 2, b: 2, c: 2 }, 'spread 2/2/2')
  const web = await b.get('/v1/deployments/web')
  t.equal(web?.status?.readyReplicas, 6, 'the deployment status counts 6 ready')

  t.test('a pod that fits nowhere stays Pending, and describe says why', async (t) => {
    const big = `apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  containers: [{name: main, image: nginx, resources: {requests: {memory: 64Gi}}}]\n`
    t.equal(await apply(a, big), 200)
    const message = await eventually('big is unschedulable', async () => {
      const p = await a.get('/v1/pods/big')
      return (p?.status?.conditions ?? []).find((x: Json) => x.type === 'PodScheduled' && x.status === 'False')?.message as string | undefined
    })
    t.equal(message, '0/3 nodes available: 3 insufficient memory')
    const d = await b.cli(['describe', 'pod', 'big'])
    t.equal(d.code, 0, d.stderr)
    t.match(d.stdout, /0\/3 nodes available: 3 insufficient memory/)
    t.equal((await a.get('/v1/pods/big'))?.spec?.nodeName, undefined, 'not bound')
    await a.cli(['delete', 'pod', 'big'])
  })

  t.test('kill -9 of the leader: its replicas run on the other two, it turns NotReady; back, its old pods go', async (t) => {
    const victim = (await leaderOf(cluster.agents))!
    const rest = cluster.agents.filter((x) => x !== victim)
    const before = new Set(((await pods(victim, 'app=web')) ?? []).map((p) => p.metadata.name as string))
    await victim.kill9()
    const moved = await eventually(
      '6 running on the other two',
      async () => {
        const items = await pods(rest[0]!, 'app=web')
        const m = runningPerNode(items ?? [])
        return sum(m) === 6 && m[victim.name] === undefined ? m : undefined
      },
      30_000,
    )
    t.same(Object.keys(moved).sort(), rest.map((x) => x.name).sort())
    t.same(await readyNodes(rest[0]!), rest.map((x) => x.name).sort(), `${victim.name} is NotReady`)
    const lost = ((await pods(rest[0]!, 'app=web')) ?? []).filter((p) => p.spec.nodeName === victim.name)
    t.equal(lost.length, 2, 'its two pods are kept, marked lost')
    t.ok(lost.every((p) => p.status.reason === 'NodeLost' && before.has(p.metadata.name)))

    victim.start()
    await eventually(`${victim.name} Ready again`, async () => (await readyNodes(rest[0]!)).length === 3, 30_000)
    const after = await eventually('its replaced pods are deleted: 6 pods, all running', async () => {
      const items = (await pods(rest[0]!, 'app=web')) ?? []
      return items.length === 6 && sum(runningPerNode(items)) === 6 ? items : undefined
    })
    t.equal(new Set(after.map((p) => p.metadata.name)).size, 6, 'each replica exactly once')
    t.notOk(after.some((p) => p.status.reason === 'NodeLost'))
  })

  t.test('cordon keeps new pods off a node; drain moves its pods; uncordon ends both', async (t) => {
    const r = await a.cli(['cordon', 'c'])
    t.equal(r.code, 0, r.stderr)
    t.match((await a.cli(['get', 'nodes'])).stdout, /c\s+Ready,SchedulingDisabled/)
    const onC = runningPerNode((await pods(a, 'app=web')) ?? []).c ?? 0
    await a.cli(['scale', 'deploy', 'web', '--replicas', '8'])
    const m = await eventually('8 running, none new on c', async () => {
      const x = runningPerNode((await pods(a, 'app=web')) ?? [])
      return sum(x) === 8 ? x : undefined
    })
    t.equal(m.c ?? 0, onC, `c got no new pod (${JSON.stringify(m)})`)
    await a.cli(['scale', 'deploy', 'web', '--replicas', '6'])

    const drained = await b.cli(['drain', 'c', '--timeout', '60'])
    t.equal(drained.code, 0, drained.stderr)
    t.match(drained.stdout, /node\/c drained/)
    const final = await eventually('6 running off c', async () => {
      const x = runningPerNode((await pods(a, 'app=web')) ?? [])
      return sum(x) === 6 && !x.c ? x : undefined
    })
    t.same(Object.keys(final).sort(), ['a', 'b'])
    t.equal((await a.cli(['uncordon', 'c'])).code, 0)
    const node = await a.get('/v1/nodes/c')
    t.equal(node?.spec?.unschedulable, false)
    t.equal(node?.metadata?.annotations?.['podmesh.io/drain'], undefined)
  })
})
