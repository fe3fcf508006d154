// The CLI against one real agent process: apply a multi-document file, get it in every output
// format, describe, scale, watch, delete, and the failures a user sees.
import t from 'tap'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse } from 'yaml'
import { getCommand } from '../../src/agent/cli-get.js'
import { eventually, Fleet, runAgentCli } from '../../src/fleet/local-fleet.js'

const APP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  color: blue
---
apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: hunter22
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
        env:
        - name: PW
          valueFrom: {secretKeyRef: {name: db, key: password}}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`

const BAD = `apiVersion: v1
kind: ConfigMap
metadata:
  name: fine
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: bad}
spec:
  selector: {matchLabels: {a: b}}
  template:
    metadata: {labels: {a: b}}
    spec:
      containers: [{name: x, image: y, ports: [{containerPort: 70000}]}]
`

t.test('apply, get, describe, scale, watch and delete against a real agent', async (t) => {
  const fleet = await Fleet.create('podmesh-cli-')
  t.teardown(() => fleet.destroy())
  t.teardown(() => void (t.passing() || console.error(fleet.logs())))
  const a = await fleet.add({ name: 'a' })
  a.start()
  await eventually('a leads', async () => (await a.status())?.node.raftRole === 'leader')
  const app = join(fleet.root, 'app.yaml')
  const bad = join(fleet.root, 'bad.yaml')
  await writeFile(app, APP)
  await writeFile(bad, BAD)
  const ok = async (args: string[]) => {
    const r = await a.cli(args)
    t.equal(r.code, 0, `agent ${args.join(' ')} exits 0 (stderr: ${r.stderr})`)
    return r.stdout
  }

  t.equal(await ok(['apply', '-f', app]), 'configmap/cfg created\nsecret/db created\ndeployment.apps/web created\nservice/web created\n')
  t.equal(await ok(['apply', '-f', app]), 'configmap/cfg unchanged\nsecret/db unchanged\ndeployment.apps/web unchanged\nservice/web unchanged\n')

  // The agent runs no pods (--runtime none): the controllers create them, none is placed on it, and why is shown.
  t.match(await ok(['get', 'deploy']), /^NAME +READY +UP-TO-DATE +AVAILABLE +AGE\nweb +0\/2 +\d +0 +\d+s\n$/)
  let pending: { metadata: { name: string }; spec: { nodeName?: string } }[] = []
  await eventually('2 pods', async () => (pending = (JSON.parse(await ok(['get', 'pods', '-o', 'json'])) as { items: typeof pending }).items).length === 2, 15_000)
  t.same(pending.map((p) => p.spec.nodeName), [undefined, undefined], 'no pod placed on a node that runs none')
  await eventually('the reason is recorded', async () => /PodScheduled +False +Unschedulable +0\/1 nodes available: 1 node\(s\) run no pods\n/.test(await ok(['describe', 'pod', pending[0]!.metadata.name])), 15_000)
  t.match(await ok(['get', 'deployments', '-o', 'wide']), /\nweb .* web +nginx:1\.27 +app=web\n$/)
  t.match(await ok(['get', 'nodes']), /^NAME +STATUS +ROLES +AGE +VERSION\na +Ready +leader,voter +/, "ROLES: the node's place in the Raft membership")
  t.match(await ok(['describe', 'node', 'a']), /\nRoles: +leader,voter\n/)
  t.notMatch(await ok(['get', 'node', 'a', '-o', 'json']), /membership/, '-o json prints the Node as stored')
  // In a child process: tap's own YAML setup changes how the yaml library reads 1.1 timestamps in this one.
  await writeFile(join(fleet.root, 'v.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: v, labels: {"on": "yes"}}\ndata: {a: "yes", i: "NO", g: "2026-01-01", o: "0o12", "y": "y", plain: hello}\n')
  await ok(['apply', '-f', join(fleet.root, 'v.yaml')])
  const v = await ok(['get', 'cm', 'v', '-o', 'yaml'])
  for (const line of ['"on": "yes"', 'a: "yes"', 'i: "NO"', 'g: "2026-01-01"', 'o: "0o12"', '"y": "y"', 'plain: hello']) t.ok(v.includes(` ${line}\n`), `-o yaml quotes what YAML 1.1 tools misread: ${line}`)
  t.match(parse(v), { metadata: { labels: { on: 'yes' } }, data: { a: 'yes', i: 'NO', g: '2026-01-01', o: '0o12', y: 'y', plain: 'hello' } })
  await ok(['delete', 'cm', 'v'])
  const web = JSON.parse(await ok(['get', 'deployment/web', '-o', 'json'])) as { kind: string; spec: { replicas: number }; metadata: { resourceVersion: string } }
  t.equal(web.kind, 'Deployment')
  t.equal(web.spec.replicas, 2)
  const cms = parse(await ok(['get', 'cm', '-o', 'yaml'])) as { kind: string; items: { metadata: { name: string }; data: Record<string, string> }[] }
  t.equal(cms.kind, 'ConfigMapList')
  t.same(cms.items.map((i) => [i.metadata.name, i.data.color]), [['cfg', 'blue']])
  t.equal(await ok(['get', 'svc', '-o', 'name', '-l', 'app!=nothing']), 'service/web\n')
  t.match(await ok(['get', 'secrets', '-A']), /^NAMESPACE +NAME +TYPE +DATA +AGE\ndefault +db +Opaque +1 +\d+s\n$/)
  t.notMatch(await ok(['get', 'secret', 'db', '-o', 'yaml']), /hunter22|aHVudGVyMjI/, 'redacted by default')
  t.match(await ok(['get', 'secret', 'db', '-o', 'json', '--show-secrets']), /aHVudGVyMjI=/)

  const described = await ok(['describe', 'deploy', 'web'])
  t.match(described, /Replicas: +2 desired \| \d updated \| \d total \| 0 available \| \d unavailable\n/)
  t.match(described, /PW: +<set to the key 'password' in secret 'db'>/)
  const secret = await ok(['describe', 'secret/db'])
  t.match(secret, /password: +8 bytes\n/)
  t.notMatch(secret, /hunter22|aHVudGVyMjI/)

  t.equal(await ok(['scale', 'deploy', 'web', '--replicas', '3']), 'deployment.apps/web scaled\n')
  t.equal((JSON.parse(await ok(['get', 'deploy', 'web', '-o', 'json'])) as typeof web).spec.replicas, 3)

  // A watch, in-process: it prints the current list, then the config map applied after it started.
  const stop = new AbortController()
  const seen: string[] = []
  const watching = getCommand('cm', undefined, { server: a.server, namespace: 'default', watch: true }, {
    out: (s) => {
      seen.push(s)
      if (s.startsWith('later')) stop.abort()
    },
    err: () => undefined,
    now: () => Date.now(),
    signal: stop.signal,
  })
  await eventually('the watch printed the list', async () => seen.length >= 2, 10_000)
  await writeFile(join(fleet.root, 'later.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later' }, data: { a: '1' } }))
  t.equal(await ok(['apply', '-f', join(fleet.root, 'later.json')]), 'configmap/later created\n')
  await watching
  t.match(seen.join(''), /^NAME +DATA +AGE\ncfg +1 +\d+s\nlater +1 +\d+s\n$/)

  // A bare pod: whatever its status (nothing may run it yet), it lists and describes.
  await writeFile(join(fleet.root, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: lonely}\nspec:\n  containers: [{name: c, image: busybox:1.36}]\n')
  t.equal(await ok(['apply', '-f', join(fleet.root, 'pod.yaml')]), 'pod/lonely created\n')
  t.match(await ok(['get', 'po']), /^NAME +READY +STATUS +RESTARTS +AGE\nlonely +0\/1 +\S+ +0 +\d+s\n/m)
  t.match(await ok(['get', 'po', '-o', 'wide']), /^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE\nlonely +/)
  t.match(await ok(['describe', 'po', 'lonely']), /Containers:\n {2}c:\n {4}Image: +busybox:1\.36\n/)
  t.equal(await ok(['delete', 'pod/lonely']), 'pod "lonely" deleted\n')

  const invalid = await a.cli(['apply', '-f', bad])
  t.equal(invalid.code, 1)
  t.match(invalid.stderr, /nothing applied:\n {2}.*bad\.yaml#2 spec\.template\.spec\.containers\[0\]\.ports\[0\]\.containerPort: must be 1-65535\n/)
  t.equal((await a.cli(['get', 'cm', 'fine'])).code, 1, 'the valid document of an invalid file was not applied')

  t.equal(await ok(['delete', '-f', app]), 'configmap "cfg" deleted\nsecret "db" deleted\ndeployment.apps "web" deleted\nservice "web" deleted\n')
  const gone = await a.cli(['delete', 'deploy', 'web'])
  t.equal(gone.code, 1)
  t.equal(gone.stderr, 'agent: deployments "web" not found in namespace "default"\n', 'the wording of get')
  t.equal((await a.cli(['get', 'deploy', 'web'])).stderr, gone.stderr)
  t.equal(await ok(['delete', 'deploy', 'web', '--ignore-not-found']), '')

  // The namespace of apply is the one get and delete -f use: PODMESH_NAMESPACE, or -n.
  const t2 = join(fleet.root, 't2.yaml')
  await writeFile(t2, '# the shop settings\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: t2}\n')
  const shop = { PODMESH_NAMESPACE: 'shop' }
  t.equal((await runAgentCli(['apply', '-f', t2, '--server', a.server], shop)).stdout, 'configmap/t2 created\n')
  t.equal((await a.cli(['get', 'cm', 't2', '-n', 'shop'])).code, 0, 'applied into shop')
  t.equal((await a.cli(['get', 'cm', 't2'])).code, 1, 'not into default')
  t.equal((await runAgentCli(['delete', '-f', t2, '--server', a.server], shop)).stdout, 'configmap "t2" deleted\n')
  t.equal(await ok(['apply', '-n', 'shop', '-f', t2]), 'configmap/t2 created\n')
  const other = await a.cli(['apply', '-n', 'other', '-f', t2.replace('t2.yaml', 'app.yaml')])
  t.equal(other.code, 0, 'objects naming no namespace take -n')
  await ok(['delete', '-f', app, '-n', 'other'])
  // A directory with a comment-only file: skipped, the rest applied; delete -f reports each missing object and goes on.
  const dir = join(fleet.root, 'dir')
  await mkdir(dir)
  await writeFile(join(dir, 'a.yaml'), '# nothing here yet\n')
  await writeFile(join(dir, 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: shop}\n')
  t.equal(await ok(['apply', '-f', dir]), 'configmap/b created\n')
  const wrong = await a.cli(['apply', '-n', 'default', '-f', dir])
  t.same([wrong.code, wrong.stderr], [2, `agent: the namespace from the provided object "shop" does not match the namespace "default". You must pass '--namespace=shop' to perform this operation.\n`])
  await writeFile(join(dir, 'c.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n')
  const partly = await a.cli(['delete', '-f', join(dir, 'c.yaml'), '-f', t2, '-f', join(dir, 'b.yaml'), '-n', 'shop'])
  t.equal(partly.code, 1)
  t.equal(partly.stdout, 'configmap "t2" deleted\nconfigmap "b" deleted\n')
  t.equal(partly.stderr, 'agent: configmaps "c" not found in namespace "shop"\nagent: 1 of 3 objects not found (the others were deleted)\n')
  const emptyNs = await a.cli(['get', 'cm', '-n', ''])
  t.equal(emptyNs.code, 1)
  t.match(emptyNs.stderr, /the namespace is empty: give one, or use -A/)
  const empty = await a.cli(['get', 'deploy'])
  t.same([empty.code, empty.stdout, empty.stderr], [0, '', 'No resources found in default namespace.\n'])
})

t.test('an agent that is not running: exit 1 and what to do', async (t) => {
  const fleet = await Fleet.create('podmesh-cli-')
  t.teardown(() => fleet.destroy())
  const a = await fleet.add({ name: 'down' })
  const r = await a.cli(['get', 'pods'])
  t.equal(r.code, 1)
  t.match(r.stderr, /no agent answers at .*agent start/)
})
