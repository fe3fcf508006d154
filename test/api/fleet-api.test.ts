// The API against three real agent processes: writes on followers, linearizable reads elsewhere,
// compare-and-set, all-or-nothing apply, watch order, secrets on disk, metrics and the body limit, and
// reads once quorum is lost.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { openWatch } from './watch-client.js'
import { call, eventually, followers, formThree, leaderOf, type AgentProcess } from './fleet.js'

type Obj = { metadata: { name: string; resourceVersion: string }; data?: Record<string, string> }
const yaml = (source: string) => ({ 'content-type': 'application/yaml', 'x-podmesh-source': source })

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await filesUnder(p)))
    else out.push(p)
  }
  return out
}

async function onDisk(agents: readonly AgentProcess[], needle: string): Promise<string[]> {
  const hits: string[] = []
  for (const a of agents) for (const f of await filesUnder(a.dataDir)) if ((await readFile(f)).includes(needle)) hits.push(f)
  return hits
}

t.test('the API on a 3-agent fleet', async (t) => {
  const { fleet, agents } = await formThree()
  t.teardown(() => fleet.destroy())
  t.teardown(() => void (t.passing() || console.error(fleet.logs())))

  t.test('apply on a follower; a linearizable read on another node sees it at once', async (t) => {
    const [f1, f2] = await followers(agents)
    const doc = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: app-config, labels: { app: web } }\ndata: { mode: fast }\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: 3\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n      containers: [{ name: web, image: nginx }]\n`
    const r = await call<{ results: { action: string; resourceVersion: string }[] }>(f1!, 'POST', '/v1/apply', doc, yaml('stack.yaml'))
    t.equal(r.status, 200)
    t.same(r.body.results.map((x) => x.action), ['created', 'created'])
    t.equal(r.body.results[0]!.resourceVersion, r.body.results[1]!.resourceVersion, 'one entry')
    const got = await call<Obj>(f2!, 'GET', '/v1/configmaps/app-config')
    t.equal(got.status, 200)
    t.same(got.body.data, { mode: 'fast' })
    t.equal(got.body.metadata.resourceVersion, r.body.results[0]!.resourceVersion)
    const leader = (await leaderOf(agents))!
    const d = await call<{ spec: { replicas: number } }>(leader, 'GET', '/v1/deployments/web')
    t.equal(d.body.spec.replicas, 3)
  })

  t.test('compare-and-set: of two writers from the same version, one wins and the other gets 409', async (t) => {
    const [x, y] = agents
    const created = await call<Obj>(x!, 'PUT', '/v1/configmaps/counter', { data: { n: '0' } })
    t.equal(created.status, 201)
    const rv = created.body.metadata.resourceVersion
    const answers = await Promise.all([
      call<Obj>(x!, 'PUT', '/v1/configmaps/counter', { metadata: { resourceVersion: rv }, data: { n: 'x' } }),
      call<Obj>(y!, 'PUT', '/v1/configmaps/counter', { metadata: { resourceVersion: rv }, data: { n: 'y' } }),
    ])
    t.same(answers.map((a) => a.status).sort(), [200, 409])
    const loser = answers.find((a) => a.status === 409)!.body as unknown as { error: string; details: { currentResourceVersion: string } }
    const winner = answers.find((a) => a.status === 200)!.body
    t.equal(loser.error, 'Conflict')
    t.equal(loser.details.currentResourceVersion, winner.metadata.resourceVersion)
    const now = await call<Obj>(agents[2]!, 'GET', '/v1/configmaps/counter')
    t.same(now.body.data, winner.data)
  })

  t.test('an invalid multi-document apply changes nothing on any node', async (t) => {
    const before = await call<{ metadata: { resourceVersion: string }; items: Obj[] }>(agents[0]!, 'GET', '/v1/configmaps')
    const bad = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: would-be-created }\ndata: { a: b }\n---\napiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers: [{ name: c, image: x, ports: [{ containerPort: 99999 }] }]\n`
    const r = await call<{ error: string; details: { issues: { document: string; path: string }[] } }>(agents[1]!, 'POST', '/v1/apply', bad, yaml('bad.yaml'))
    t.equal(r.status, 422)
    t.equal(r.body.error, 'Invalid')
    t.same(r.body.details.issues.map((i) => `${i.document} ${i.path}`), ['bad.yaml#2 spec.containers[0].ports[0].containerPort'])
    for (const a of agents) {
      const l = await call<{ items: Obj[] }>(a, 'GET', '/v1/configmaps')
      t.same(l.body.items.map((o) => o.metadata.name), before.body.items.map((o) => o.metadata.name), `${a.name}: the same objects`)
      t.equal((await call(a, 'GET', '/v1/configmaps/would-be-created')).status, 404)
    }
  })

  t.test('a watch sees every change, in log order, the same on every node', async (t) => {
    const start = (await call<{ metadata: { resourceVersion: string } }>(agents[0]!, 'GET', '/v1/configmaps')).body.metadata.resourceVersion
    const watches = await Promise.all(agents.map((a) => openWatch(a.server, `/v1/watch?kind=configmaps&resourceVersion=${start}&labelSelector=watched`)))
    t.teardown(() => watches.forEach((w) => w.close()))
    const acked: string[] = []
    await Promise.all(
      agents.map(async (a, i) => {
        for (let k = 0; k < 8; k++) {
          const name = `w-${a.name}-${k % 3}`
          const r = k === 7 ? await call<Obj>(a, 'DELETE', `/v1/configmaps/${name}`) : await call<Obj>(a, 'PUT', `/v1/configmaps/${name}`, { metadata: { labels: { watched: 'yes' } }, data: { k: String(k), i: String(i) } })
          if (r.status < 300) acked.push(`${name}`)
        }
      }),
    )
    const all = await Promise.all(watches.map((w) => w.waitFor(acked.length)))
    const lines = all.map((events) => events.map((e) => `${e.type} ${e.object.metadata.name}@${e.object.metadata.resourceVersion}`))
    t.same(lines[1], lines[0], 'b saw what a saw')
    t.same(lines[2], lines[0], 'c saw what a saw')
    const versions = all[0]!.map((e) => Number(e.object.metadata.resourceVersion))
    t.ok(versions.every((v, i) => i === 0 || v > versions[i - 1]!), 'resourceVersions strictly increase')
    t.ok(versions[0]! > Number(start))
    t.equal(all[0]!.filter((e) => e.type === 'DELETED').length, 3)
  })

  t.test('secret values never reach the data dirs; a ConfigMap value (the control) does', async (t) => {
    const secretValue = `s3cr3t-${Math.random().toString(36).slice(2)}-plaintext`
    const controlValue = `c0ntr0l-${Math.random().toString(36).slice(2)}-plaintext`
    const doc = `apiVersion: v1\nkind: Secret\nmetadata: { name: db-password }\nstringData: { password: ${secretValue} }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: control }\ndata: { value: ${controlValue} }\n`
    t.equal((await call(agents[1]!, 'POST', '/v1/apply', doc, yaml('secret.yaml'))).status, 200)
    for (const a of agents) await eventually(`${a.name} applied`, async () => (await call(a, 'GET', '/v1/secrets/db-password?stale=true')).status === 200)
    const shown = await call<{ data: Record<string, string> }>(agents[2]!, 'GET', '/v1/secrets/db-password')
    t.same(shown.body.data, { password: '<redacted>' })
    const revealed = await call<{ data: Record<string, string> }>(agents[2]!, 'GET', '/v1/secrets/db-password?reveal=true')
    t.equal(Buffer.from(revealed.body.data.password!, 'base64').toString(), secretValue)
    await eventually('the control value is on disk on every node', async () => (await onDisk(agents, controlValue)).length >= 3)
    t.same(await onDisk(agents, secretValue), [], 'no plaintext')
    t.same(await onDisk(agents, Buffer.from(secretValue).toString('base64')), [], 'no base64 of it either')
  })

  t.test('metrics, the body limit and watch history', async (t) => {
    const f = (await followers(agents))[0]!
    const res = await fetch(`${f.server}/metrics`)
    t.equal(res.status, 200)
    const text = await res.text()
    for (const name of ['podmesh_raft_term', 'podmesh_raft_commit_index', 'podmesh_raft_applied_index', 'podmesh_raft_is_leader 0', 'podmesh_raft_leader_changes_total', 'podmesh_proposal_duration_seconds_bucket', 'podmesh_api_request_duration_seconds_count{route="get"', 'podmesh_net_dropped_frames_total{reason="spoofed"}', 'podmesh_raft_dropped_messages_total{reason="staleTerm"}'])
      t.ok(text.includes(name), name)
    const big = await call(f, 'PUT', '/v1/configmaps/big', JSON.stringify({ data: { v: 'x'.repeat(4 * 1024 * 1024 + 10) } }))
    t.equal(big.status, 413)
    t.equal((big.body as { error: string }).error, 'PayloadTooLarge')
    const w = await openWatch(f.server, '/v1/watch?kind=configmaps&resourceVersion=0')
    t.equal(w.status, 200, 'a fresh fleet still holds its whole history')
    w.close()
  })
  // Last: it leaves the fleet without quorum.
  t.test('without quorum a read fails and says how to read anyway; agent get --stale answers from the node', async (t) => {
    const [survivor, ...rest] = (await followers(agents)).concat(await leaderOf(agents) ?? [])
    await call(survivor!, 'PUT', '/v1/configmaps/before-the-outage', { data: { v: '1' } })
    for (const a of rest) a.kill9()
    for (const a of rest) await a.waitForExit()
    const failed = await eventually('the survivor refuses linearizable reads', async () => {
      const r = await survivor!.cli(['get', 'configmap', 'before-the-outage'])
      return r.code !== 0 ? r : undefined
    })
    t.match(failed.stderr, /cannot confirm a linearizable read right now \(.*\); retry once the fleet has a leader, or read this node's copy, which may be behind \(\?stale=true; agent get --stale\)/)
    const stale = await survivor!.cli(['get', 'configmap', 'before-the-outage', '--stale'])
    t.equal(stale.code, 0, stale.stderr)
    t.match(stale.stdout, /^NAME +DATA +AGE\nbefore-the-outage +1 /)
    const described = await survivor!.cli(['describe', 'cm', 'before-the-outage', '--stale'])
    t.equal(described.code, 0, described.stderr)
    t.match(described.stdout, /Name: +before-the-outage/)
  })
})
