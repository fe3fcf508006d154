// The resource commands against a scripted API: what they send, what they print, how they fail.
import t from 'tap'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applyCommand } from '../../src/agent/cli-apply.js'
import { deleteCommand } from '../../src/agent/cli-delete.js'
import { describeCommand } from '../../src/agent/cli-describe.js'
import { getCommand } from '../../src/agent/cli-get.js'
import type { CliIo } from '../../src/agent/cli-io.js'
import { scaleCommand } from '../../src/agent/cli-scale.js'
import { apiError, fakeApi, json, type FakeApi } from './fake-api.js'
import { configMap, deployment, newDeployment, NOW, secret, service } from './fixtures.js'

const setup = async (t: { teardown: (f: () => unknown) => void }) => {
  const api = await fakeApi()
  t.teardown(() => api.close())
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = { out: (s) => void out.push(s), err: (s) => void err.push(s), now: () => NOW }
  return { api, out, err, io, flags: { server: api.server, apiToken: 'tok', namespace: 'default' } }
}

const files = async (t: { teardown: (f: () => unknown) => void }, content: Record<string, string>) => {
  const root = await mkdtemp(join(tmpdir(), 'podmesh-cli-'))
  t.teardown(() => rm(root, { recursive: true, force: true }))
  for (const [n, text] of Object.entries(content)) await writeFile(join(root, n), text)
  return root
}

const applyResults = (api: FakeApi, results: (source: string, dryRun: boolean) => unknown) =>
  api.on('POST /v1/apply', (req, res) => json(res, 200, { results: results(String(req.headers['x-podmesh-source']), req.query.get('dryRun') === 'true') }))

t.test('apply sends the file as is, names it, and prints a line per object', async (t) => {
  const { api, flags } = await setup(t)
  const root = await files(t, { 'web.yaml': 'kind: Deployment\nmetadata:\n  name: web\n' })
  applyResults(api, () => [
    { kind: 'Deployment', namespace: 'default', name: 'web', action: 'created', resourceVersion: '5' },
    { kind: 'Service', namespace: 'default', name: 'web', action: 'unchanged', resourceVersion: '3' },
    { kind: 'ConfigMap', namespace: 'default', name: 'cfg', action: 'configured', resourceVersion: '5' },
  ])
  const out: string[] = []
  await applyCommand({ ...flags, filename: [join(root, 'web.yaml')] }, (s) => void out.push(s))
  t.equal(out.join(''), 'deployment.apps/web created\nservice/web unchanged\nconfigmap/cfg configured\n')
  const req = api.requests[0]!
  t.equal(req.headers['x-podmesh-source'], join(root, 'web.yaml'))
  t.equal(req.headers['content-type'], 'application/yaml')
  t.equal(req.headers.authorization, 'Bearer tok')
  t.equal(req.body, 'kind: Deployment\nmetadata:\n  name: web\n')
  t.equal(req.query.get('dryRun'), null)
  t.equal(api.requests.length, 1, 'one file: no preflight')
})

t.test('apply --dry-run asks for a dry run and says so', async (t) => {
  const { api, flags } = await setup(t)
  const root = await files(t, { 'cm.json': '{"kind":"ConfigMap","metadata":{"name":"cfg"}}' })
  applyResults(api, () => [{ kind: 'ConfigMap', name: 'cfg', action: 'created' }])
  const out: string[] = []
  await applyCommand({ ...flags, filename: [join(root, 'cm.json')], dryRun: true }, (s) => void out.push(s))
  t.equal(out.join(''), 'configmap/cfg created (dry run)\n')
  t.equal(api.requests[0]!.query.get('dryRun'), 'true')
  t.equal(api.requests[0]!.headers['content-type'], 'application/json')
})

t.test('apply of an invalid file prints every issue and applies nothing', async (t) => {
  const { api, flags } = await setup(t)
  const root = await files(t, { 'deploy.yaml': 'x: 1\n' })
  const issues = [
    { document: 'deploy.yaml#2', path: 'spec.template.spec.containers[0].ports[0].containerPort', reason: 'must be 1-65535' },
    { document: 'deploy.yaml#3', path: '', reason: 'kind "Gadget" is not known' },
  ]
  api.on('POST /v1/apply', (_req, res) => apiError(res, 422, 'Invalid', 'the spec is invalid', { issues }))
  const err = (await applyCommand({ ...flags, filename: [join(root, 'deploy.yaml')] }, () => undefined).catch((e: unknown) => e)) as Error & { code: string }
  t.equal(err.name, 'ApiError')
  t.equal(err.code, 'Invalid')
  t.equal(err.message, '2 problems, nothing applied:\n  deploy.yaml#2 spec.template.spec.containers[0].ports[0].containerPort: must be 1-65535\n  deploy.yaml#3: kind "Gadget" is not known')
})

t.test('apply of several files: all are dry-run first; one invalid file means none is applied', async (t) => {
  const { api, flags } = await setup(t)
  const root = await files(t, { 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n', 'c.yaml': 'c: 1\n' })
  api.on('POST /v1/apply', (req, res) => {
    const source = String(req.headers['x-podmesh-source'])
    if (source.endsWith('b.yaml')) return apiError(res, 422, 'Invalid', 'bad', { issues: [{ document: 'b.yaml#1', path: 'spec', reason: 'required' }] })
    json(res, 200, { results: [] })
  })
  const err = (await applyCommand({ ...flags, filename: [root] }, () => undefined).catch((e: unknown) => e)) as Error
  t.match(err.message, /1 problem, nothing applied:\n  b\.yaml#1 spec: required/)
  t.same(
    api.requests.map((r) => [String(r.headers['x-podmesh-source']).slice(root.length + 1), r.query.get('dryRun')]),
    [
      ['a.yaml', 'true'],
      ['b.yaml', 'true'],
      ['c.yaml', 'true'],
    ],
    'every file checked, none applied',
  )
})

t.test('apply of several valid files applies them in name order after the check', async (t) => {
  const { api, flags } = await setup(t)
  const root = await files(t, { '2-web.yaml': 'w: 1\n', '1-cfg.yaml': 'c: 1\n' })
  applyResults(api, (source, dryRun) => [{ kind: 'ConfigMap', name: source.slice(root.length + 1), action: dryRun ? 'created' : 'created' }])
  const out: string[] = []
  await applyCommand({ ...flags, filename: [root] }, (s) => void out.push(s))
  t.same(api.requests.map((r) => r.query.get('dryRun')), ['true', 'true', null, null])
  t.equal(out.join(''), 'configmap/1-cfg.yaml created\nconfigmap/2-web.yaml created\n')
})

t.test('apply sends -n as ?namespace= (the namespace of objects naming none), also in the preflight', async (t) => {
  const { api, flags } = await setup(t)
  const root = await files(t, { 'a.yaml': 'kind: ConfigMap\nmetadata:\n  name: a\n', 'b.yaml': 'kind: ConfigMap\nmetadata:\n  name: b\n' })
  applyResults(api, () => [])
  await applyCommand({ ...flags, namespace: 'shop', filename: [root] }, () => undefined)
  t.same(api.requests.map((r) => r.query.get('namespace')), ['shop', 'shop', 'shop', 'shop'])
})

t.test('apply -n X of an object in namespace Y is refused as kubectl refuses it; without an explicit -n it is not', async (t) => {
  const { api, flags } = await setup(t)
  const root = await files(t, { 'a.yaml': 'kind: ConfigMap\nmetadata:\n  name: a\n  namespace: a\n---\nkind: Node\nmetadata:\n  name: n1\n' })
  applyResults(api, () => [])
  const message = `the namespace from the provided object "a" does not match the namespace "b". You must pass '--namespace=a' to perform this operation.`
  await t.rejects(applyCommand({ ...flags, namespace: 'b', namespaceExplicit: true, filename: [root] }, () => undefined), { name: 'UsageError', message })
  t.equal(api.requests.length, 0, 'nothing sent')
  await applyCommand({ ...flags, namespace: 'a', namespaceExplicit: true, filename: [root] }, () => undefined)
  await applyCommand({ ...flags, namespace: 'b', filename: [root] }, () => undefined)
  t.equal(api.requests.length, 2)
})

t.test('apply skips a file with no documents (empty or only comments), as delete -f does', async (t) => {
  const { api, flags } = await setup(t)
  const root = await files(t, { 'a.yaml': '# only a comment\n', 'b.yaml': '', 'c.yaml': 'kind: ConfigMap\nmetadata:\n  name: c\n', 'd.yaml': '---\n# nothing\n---\n' })
  applyResults(api, (source) => (source.endsWith('c.yaml') ? [{ kind: 'ConfigMap', name: 'c', action: 'created' }] : []))
  const out: string[] = []
  await applyCommand({ ...flags, filename: [root] }, (s) => void out.push(s))
  t.same(api.requests.map((r) => r.headers['x-podmesh-source']), [join(root, 'c.yaml')], 'only the file with an object is sent')
  t.same(out, ['configmap/c created\n'])
  await applyCommand({ ...flags, filename: [join(root, 'a.yaml')] }, (s) => void out.push(s))
  t.equal(api.requests.length, 1, 'a lone comment-only file sends nothing')
})

t.test('get lists a kind with the namespace and selector as query, printing a table', async (t) => {
  const { api, flags, out, io } = await setup(t)
  api.on('GET /v1/deployments', (_req, res) => json(res, 200, { apiVersion: 'apps/v1', kind: 'DeploymentList', metadata: { resourceVersion: '9' }, items: [deployment, newDeployment] }))
  await getCommand('deploy', undefined, { ...flags, namespace: 'shop', selector: 'app in (web,api)' }, io)
  t.equal(api.requests[0]!.query.get('namespace'), 'shop')
  t.equal(api.requests[0]!.query.get('labelSelector'), 'app in (web,api)')
  t.match(out.join(''), /^NAME +READY +UP-TO-DATE +AVAILABLE +AGE\nweb +2\/3 +3 +2 +4d3h\napi +0\/1 +0 +0 +10s\n$/)
  await getCommand('deployments', undefined, { ...flags, allNamespaces: true }, io)
  t.equal(api.requests[1]!.query.get('namespace'), null, '-A asks for every namespace')
})

t.test('get services -o wide fetches each one\'s endpoints (computed by the agents, not stored); the plain table does not', async (t) => {
  const { api, flags, out, io } = await setup(t)
  const { status: _s, ...served } = service
  api.on('GET /v1/services', (_req, res) => json(res, 200, { kind: 'ServiceList', metadata: { resourceVersion: '4' }, items: [served] }))
  api.on('GET /v1/services/web/endpoints', (_req, res) => json(res, 200, { ports: [{ port: 80, ready: [{ ip: '10.0.0.7', port: 8080 }, { ip: '10.0.0.8', port: 8080 }] }], notReady: [] }))
  await getCommand('svc', undefined, { ...flags, output: 'wide' }, io)
  t.match(out.join(''), /^NAME +TYPE +SELECTOR +PORT\(S\) +AGE +ENDPOINTS\nweb .* 10\.0\.0\.7:8080,10\.0\.0\.8:8080\n$/)
  t.equal(api.requests[1]!.query.get('namespace'), 'default')
  await getCommand('svc', undefined, flags, io)
  t.equal(api.requests.length, 3, 'no endpoints request for the plain table')
})

t.test('get of nothing says so on stderr', async (t) => {
  const { api, flags, out, err, io } = await setup(t)
  api.on('GET /v1/pods', (_req, res) => json(res, 200, { kind: 'PodList', metadata: { resourceVersion: '1' }, items: [] }))
  await getCommand('po', undefined, flags, io)
  t.same(out, [''])
  t.same(err, ['No resources found in default namespace.\n'])
})

t.test('get one object as json; secrets are revealed only with --show-secrets; nodes get no namespace', async (t) => {
  const { api, flags, out, io } = await setup(t)
  api.on('GET /v1/configmaps/cfg', (_req, res) => json(res, 200, configMap))
  api.on('GET /v1/secrets/db', (_req, res) => json(res, 200, secret))
  api.on('GET /v1/nodes/n1', (_req, res) => json(res, 200, { metadata: { name: 'n1' } }))
  await getCommand('cm/cfg', undefined, { ...flags, output: 'json' }, io)
  t.same(JSON.parse(out.join('')), configMap)
  await getCommand('secret', 'db', { ...flags, output: 'name' }, io)
  await getCommand('secret', 'db', { ...flags, output: 'name', showSecrets: true }, io)
  await getCommand('no', 'n1', { ...flags, output: 'name' }, io)
  t.same(api.requests.map((r) => r.query.toString()), ['namespace=default', 'namespace=default', 'namespace=default&reveal=true', ''])
})

t.test('get rejects a name with a selector, or with -A', async (t) => {
  const { flags, io } = await setup(t)
  await t.rejects(getCommand('po', 'x', { ...flags, selector: 'a=b' }, io), { name: 'UsageError' })
  await t.rejects(getCommand('po', 'x', { ...flags, allNamespaces: true }, io), { name: 'UsageError' })
})

t.test('get -w prints the list, then a row per change from the list version on; 410 Gone relists', async (t) => {
  const { api, flags, out, io } = await setup(t)
  const stop = new AbortController()
  let lists = 0
  api.on('GET /v1/deployments', (_req, res) => json(res, 200, { kind: 'DeploymentList', metadata: { resourceVersion: lists++ === 0 ? '9' : '20' }, items: lists === 1 ? [newDeployment] : [] }))
  let watches = 0
  api.on('GET /v1/watch', (req, res) => {
    if (watches++ === 0) return apiError(res, 410, 'Gone', 'too old')
    t.equal(req.query.get('resourceVersion'), '20', 'resumes from the relisted version')
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    res.write(JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '21' } } }) + '\n')
    res.write(JSON.stringify({ type: 'MODIFIED', object: deployment }) + '\n' + JSON.stringify({ type: 'DELETED', object: deployment }).slice(0, 10))
    res.write(JSON.stringify({ type: 'DELETED', object: deployment }).slice(10) + '\n')
  })
  // Ends the watch once both changes are printed.
  const outAndStop = (s: string) => {
    out.push(s)
    if (out.filter((l) => l.startsWith('web')).length === 2) stop.abort()
  }
  await getCommand('deploy', undefined, { ...flags, watch: true }, { ...io, out: outAndStop, signal: stop.signal })
  t.equal(api.requests.filter((r) => r.path === '/v1/watch')[0]!.query.get('resourceVersion'), '9')
  t.equal(api.requests.filter((r) => r.path === '/v1/watch')[0]!.query.get('kind'), 'deployments')
  t.same(
    out.join('').split('\n'),
    ['NAME   READY   UP-TO-DATE   AVAILABLE   AGE', 'api    0/1     0            0           10s', 'web    2/3     3            2           4d3h', 'web    2/3     3            2           4d3h', ''],
  )
})

t.test('describe fetches one object (a secret revealed, to measure it) and renders it', async (t) => {
  const { api, flags, out, io } = await setup(t)
  api.on('GET /v1/secrets/db', (_req, res) => json(res, 200, secret))
  await describeCommand('secret', 'db', { ...flags, namespace: 'ops' }, io)
  t.equal(api.requests[0]!.query.toString(), 'namespace=ops&reveal=true')
  t.match(out.join(''), /password: +8 bytes/)
  t.notMatch(out.join(''), /hunter22/)
  await t.rejects(describeCommand('secret', undefined, flags, io), { name: 'UsageError' })
})

t.test('delete prints kubectl lines; a missing object is an error unless --ignore-not-found', async (t) => {
  const { api, flags, out, io } = await setup(t)
  api.on('DELETE /v1/deployments/web', (req, res) => json(res, 200, { status: 'deleted', kind: 'Deployment', namespace: req.query.get('namespace'), name: 'web' }))
  api.on('DELETE /v1/services/gone', (_req, res) => apiError(res, 404, 'NotFound', 'services "gone" not found'))
  await deleteCommand('deployment', 'web', flags, io)
  t.same(out, ['deployment.apps "web" deleted\n'])
  await t.rejects(deleteCommand('svc/gone', undefined, flags, io), { name: 'ApiError', code: 'NotFound', message: 'services "gone" not found' })
  await deleteCommand('svc/gone', undefined, { ...flags, ignoreNotFound: true }, io)
  t.equal(out.length, 1)
  await t.rejects(deleteCommand(undefined, undefined, flags, io), { name: 'UsageError' })
  await t.rejects(deleteCommand('deploy', undefined, flags, io), { name: 'UsageError' })
})

t.test('delete -f deletes every object of the files, in order', async (t) => {
  const { api, flags, out, io } = await setup(t)
  const root = await files(t, { 'all.yaml': 'kind: ConfigMap\nmetadata:\n  name: cfg\n---\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n' })
  api.on('DELETE /v1/configmaps/cfg', (_req, res) => json(res, 200, { status: 'deleted' }))
  api.on('DELETE /v1/deployments/web', (_req, res) => json(res, 200, { status: 'deleted' }))
  await deleteCommand(undefined, undefined, { ...flags, filename: [join(root, 'all.yaml')] }, io)
  t.same(api.requests.map((r) => `${r.path}?${r.query}`), ['/v1/configmaps/cfg?namespace=default', '/v1/deployments/web?namespace=shop'])
  t.same(out, ['configmap "cfg" deleted\n', 'deployment.apps "web" deleted\n'])
})

t.test('delete -f goes on past a missing object, reports each, and fails at the end unless --ignore-not-found', async (t) => {
  const { api, flags, out, err, io } = await setup(t)
  const root = await files(t, { 'all.yaml': 'kind: ConfigMap\nmetadata:\n  name: gone\n---\nkind: ConfigMap\nmetadata:\n  name: cfg\n---\nkind: Service\nmetadata:\n  name: gone\n' })
  api.on('DELETE /v1/configmaps/gone', (_req, res) => apiError(res, 404, 'NotFound', 'configmaps "gone" not found in namespace "default"'))
  api.on('DELETE /v1/services/gone', (_req, res) => apiError(res, 404, 'NotFound', 'services "gone" not found in namespace "default"'))
  api.on('DELETE /v1/configmaps/cfg', (_req, res) => json(res, 200, { status: 'deleted' }))
  const file = [join(root, 'all.yaml')]
  await t.rejects(deleteCommand(undefined, undefined, { ...flags, filename: file }, io), { name: 'ApiError', code: 'NotFound', message: '2 of 3 objects not found (the others were deleted)' })
  t.same(out, ['configmap "cfg" deleted\n'])
  t.same(err, ['agent: configmaps "gone" not found in namespace "default"\n', 'agent: services "gone" not found in namespace "default"\n'])
  await deleteCommand(undefined, undefined, { ...flags, filename: file, ignoreNotFound: true }, io)
  t.equal(api.requests.length, 6, 'every object tried both times')
  t.equal(err.length, 2, 'nothing reported with --ignore-not-found')
})

t.test('scale writes spec.replicas with the version read; on a conflict or an unknown outcome it reads again and retries', async (t) => {
  const { api, flags, out, io } = await setup(t)
  let version = 10
  api.on('GET /v1/deployments/web', (_req, res) => json(res, 200, { ...deployment, metadata: { ...deployment.metadata, resourceVersion: String(version) } }))
  let puts = 0
  api.on('PUT /v1/deployments/web', (_req, res) => {
    if (puts++ === 0) {
      version = 11 // someone else wrote in between
      return apiError(res, 409, 'Conflict', 'stale', { currentResourceVersion: '11' })
    }
    if (puts === 2) return apiError(res, 503, 'Indeterminate', 'the leader changed')
    json(res, 200, {})
  })
  await scaleCommand('deployment', 'web', { ...flags, replicas: '5' }, io)
  const bodies = api.requests.filter((r) => r.method === 'PUT').map((r) => JSON.parse(r.body) as { spec: { replicas: number; selector: unknown }; metadata: { resourceVersion: string } })
  t.same(bodies.map((b) => [b.spec.replicas, b.metadata.resourceVersion]), [[5, '10'], [5, '11'], [5, '11']])
  t.same(api.requests.map((r) => r.method), ['GET', 'PUT', 'GET', 'PUT', 'GET', 'PUT'], 'every attempt reads first')
  t.same(bodies[1]!.spec.selector, deployment.spec.selector, 'the rest of the spec is kept')
  t.same(out, ['deployment.apps/web scaled\n'])
})

t.test('scale gives up after a bounded number of conflicts, and checks its arguments', async (t) => {
  const { api, flags, io } = await setup(t)
  api.on('GET /v1/deployments/web', (_req, res) => json(res, 200, deployment))
  api.on('PUT /v1/deployments/web', (_req, res) => apiError(res, 409, 'Conflict', 'stale'))
  await t.rejects(scaleCommand('deploy/web', undefined, { ...flags, replicas: '2' }, io), { name: 'ApiError', code: 'Conflict' })
  t.equal(api.requests.filter((r) => r.method === 'PUT').length, 5)
  api.on('PUT /v1/deployments/web', (_req, res) => apiError(res, 400, 'BadRequest', 'no'))
  await t.rejects(scaleCommand('deploy/web', undefined, { ...flags, replicas: '2' }, io), { name: 'ApiError', code: 'BadRequest' })
  t.equal(api.requests.filter((r) => r.method === 'PUT').length, 6, 'other errors are not retried')
  await t.rejects(scaleCommand('deploy', 'web', { ...flags, replicas: '-1' }, io), { name: 'UsageError' })
  await t.rejects(scaleCommand('svc', 'web', { ...flags, replicas: '1' }, io), { name: 'UsageError' })
})

t.test('an agent that is not there: an ApiError saying what to do', async (t) => {
  const { api, flags, io } = await setup(t)
  await api.close()
  await t.rejects(getCommand('po', undefined, flags, io), { name: 'ApiError', code: 'Unreachable', message: /no agent answers at .*agent start/ })
})

t.test('get -w relists after an ERROR 410 line (the node installed a snapshot), and fails on other errors', async (t) => {
  const { api, flags, out, io } = await setup(t)
  const stop = new AbortController()
  api.on('GET /v1/configmaps', (_req, res) => json(res, 200, { kind: 'ConfigMapList', metadata: { resourceVersion: '30' }, items: [] }))
  const watchVersions: string[] = []
  api.on('GET /v1/watch', (req, res) => {
    watchVersions.push(req.query.get('resourceVersion') ?? '')
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    if (watchVersions.length === 1) return void res.end(JSON.stringify({ type: 'ERROR', object: { code: 410, reason: 'Expired', message: 'snapshot' } }) + '\n')
    res.write(JSON.stringify({ type: 'ADDED', object: { ...configMap, metadata: { ...configMap.metadata, resourceVersion: '31' } } }) + '\n')
  })
  const outAndStop = (s: string) => {
    out.push(s)
    if (s.startsWith('cfg')) stop.abort()
  }
  await getCommand('cm', undefined, { ...flags, watch: true }, { ...io, out: outAndStop, signal: stop.signal })
  t.same(watchVersions, ['30', '30'])
  t.match(out.join(''), /^NAME +DATA +AGE\ncfg +2 +3m\n$/)

  api.on('GET /v1/watch', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    res.end(JSON.stringify({ type: 'ERROR', object: { code: 500, reason: 'InternalError', message: 'boom' } }) + '\n')
  })
  await t.rejects(getCommand('cm', undefined, { ...flags, watch: true }, io), { name: 'ApiError', message: 'the watch failed: boom' })
})

t.test('get -w cut off for reading too slowly watches again at once from the last version printed, without listing again', async (t) => {
  const { api, flags, out, io } = await setup(t)
  const stop = new AbortController()
  let lists = 0
  api.on('GET /v1/configmaps', (_req, res) => {
    lists++
    json(res, 200, { kind: 'ConfigMapList', metadata: { resourceVersion: '30' }, items: [] })
  })
  const watchVersions: string[] = []
  api.on('GET /v1/watch', (req, res) => {
    watchVersions.push(req.query.get('resourceVersion') ?? '')
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    const cm = (name: string, rv: string) => JSON.stringify({ type: 'ADDED', object: { ...configMap, metadata: { ...configMap.metadata, name, resourceVersion: rv } } }) + '\n'
    if (watchVersions.length === 1) return void res.end(cm('first', '31') + JSON.stringify({ type: 'ERROR', object: { code: 429, reason: 'TooSlow', message: 'behind' } }) + '\n')
    res.write(cm('second', '32'))
  })
  const outAndStop = (s: string) => {
    out.push(s)
    if (s.startsWith('second')) stop.abort()
  }
  await getCommand('cm', undefined, { ...flags, watch: true }, { ...io, out: outAndStop, signal: stop.signal })
  t.same(watchVersions, ['30', '31'], 'the second watch starts from the last version received')
  t.equal(lists, 1, 'no second list')
  t.match(out.join(''), /first .*\nsecond /s)
})
