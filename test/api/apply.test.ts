// POST /v1/apply in-process: multi-document YAML and JSON, all-or-nothing validation, one entry per apply, dry runs.
import t from 'tap'
import { deploymentYaml, harness } from './harness.js'

type Results = { results: { kind: string; namespace: string; name: string; action: string; resourceVersion: string }[] }
const yaml = { 'content-type': 'application/yaml', 'x-podmesh-source': 'deploy.yaml' }

const stack = `${deploymentYaml('web', 8080)}---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: web-config, namespace: prod }
data: { mode: fast }
`

t.test('a multi-document YAML apply is one entry; a re-apply is unchanged', async (t) => {
  const h = harness()
  const r = await h.request('POST', '/v1/apply', stack, yaml)
  t.equal(r.status, 200)
  t.same(r.json<Results>().results, [
    { kind: 'Deployment', namespace: 'default', name: 'web', action: 'created', resourceVersion: '1' },
    { kind: 'Service', namespace: 'default', name: 'web', action: 'created', resourceVersion: '1' },
    { kind: 'ConfigMap', namespace: 'prod', name: 'web-config', action: 'created', resourceVersion: '1' },
  ])
  t.equal(h.log.length, 1, 'one Raft entry for the three objects')
  const again = await h.request('POST', '/v1/apply', stack, yaml)
  t.same(again.json<Results>().results.map((x) => `${x.action} ${x.resourceVersion}`), ['unchanged 1', 'unchanged 1', 'unchanged 1'])
  const changed = await h.request('POST', '/v1/apply', stack.replace('mode: fast', 'mode: slow'), yaml)
  t.same(changed.json<Results>().results.map((x) => x.action), ['unchanged', 'unchanged', 'configured'])
  const d = (await h.request('GET', '/v1/deployments/web')).json<{ apiVersion: string; spec: { replicas: number }; metadata: { labels: Record<string, string> } }>()
  t.equal(d.apiVersion, 'apps/v1')
  t.equal(d.spec.replicas, 2)
  t.same(d.metadata.labels, { app: 'web' })
})

t.test('an invalid document fails the whole apply: 422, every issue named, nothing applied', async (t) => {
  const h = harness()
  const bad = `${deploymentYaml('ok', 80)}---\n${deploymentYaml('broken', 70000)}---\napiVersion: v1\nkind: Gadget\nmetadata: { name: g }\n`
  const r = await h.request('POST', '/v1/apply', bad, yaml)
  t.equal(r.status, 422)
  const body = r.json<{ error: string; message: string; details: { issues: { document: string; path: string; reason: string }[] } }>()
  t.equal(body.error, 'Invalid')
  t.same(body.details.issues.map((i) => `${i.document} ${i.path}`), ['deploy.yaml#2 spec.template.spec.containers[0].ports[0].containerPort', 'deploy.yaml#3 kind'])
  t.match(body.message, 'deploy.yaml#2 spec.template.spec.containers[0].ports[0].containerPort: must be 1-65535')
  t.equal(h.log.length, 0, 'nothing proposed')
  t.equal(h.state.store.size, 0)
})

t.test('a YAML syntax error in one document does not hide the issues of the others', async (t) => {
  const h = harness()
  const body = `a: [unclosed\n---\n${deploymentYaml('ok', 80)}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: Bad_Name }\n`
  const r = await h.request('POST', '/v1/apply', body, yaml)
  t.equal(r.status, 422)
  const issues = r.json<{ details: { issues: { document: string; path: string; reason: string }[] } }>().details.issues
  t.same(issues.map((i) => `${i.document.replace(/^.*#/, '#')} ${i.path}`), ['#1 ', '#3 metadata.name'])
  t.match(issues[0]!.reason, /^YAML syntax/)
  t.equal(h.log.length, 0, 'nothing proposed')
})

t.test('YAML syntax errors, empty bodies and duplicates are refused', async (t) => {
  const h = harness()
  t.equal((await h.request('POST', '/v1/apply', 'a: [unclosed', yaml)).status, 422)
  t.equal((await h.request('POST', '/v1/apply', '', yaml)).status, 400)
  const dup = await h.request('POST', '/v1/apply', `${deploymentYaml('web', 80)}---\n${deploymentYaml('web', 81)}`, yaml)
  t.equal(dup.status, 422)
  t.match(dup.json<{ message: string }>().message, 'also defined by deploy.yaml#1')
  t.equal(h.log.length, 0)
})

t.test('JSON bodies: an object, an array, or a List', async (t) => {
  const h = harness()
  const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: {} })
  const json = { 'content-type': 'application/json' }
  t.equal((await h.request('POST', '/v1/apply', cm('one'), json)).json<Results>().results.length, 1)
  t.equal((await h.request('POST', '/v1/apply', [cm('two'), cm('three')], json)).json<Results>().results.length, 2)
  t.equal((await h.request('POST', '/v1/apply', { kind: 'List', items: [cm('four')] }, json)).json<Results>().results.length, 1)
  t.equal(h.state.store.size, 4)
})

t.test('?dryRun=true validates and reports the actions without proposing', async (t) => {
  const h = harness()
  await h.request('POST', '/v1/apply', deploymentYaml('web', 80), yaml)
  const r = await h.request('POST', '/v1/apply?dryRun=true', `${deploymentYaml('web', 81)}---\n${deploymentYaml('api', 80)}`, yaml)
  t.equal(r.status, 200)
  t.same(r.json<Results>().results.map((x) => x.action), ['configured', 'created'])
  t.equal(h.log.length, 1, 'still only the first apply')
})

t.test('a dry run refuses what the write would refuse (a nodePort taken), proposing nothing; a mode other than All or true is refused, never written', async (t) => {
  const h = harness()
  const json = { 'content-type': 'application/json' }
  const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: {} })
  const svc = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'NodePort', selector: { app: name }, ports: [{ port: 80, nodePort: 30080 }] } })
  await h.request('POST', '/v1/apply', svc('web'), json)
  const clash = await h.request('POST', '/v1/apply?dryRun=All', [cm('fine'), svc('clash')], json)
  t.equal(clash.status, 422)
  t.match(clash.json<{ message: string }>().message, /nodePort 30080 is already used/)
  for (const mode of ['1', 'yes', 'false']) {
    const r = await h.request('POST', `/v1/apply?dryRun=${mode}`, cm(`m-${mode}`), json)
    t.equal(r.status, 400, `dryRun=${mode}`)
    t.match(r.json<{ message: string }>().message, `dryRun "${mode}" is not a dry-run mode: use dryRun=All`)
  }
  t.equal(h.log.length, 1, 'nothing proposed after the first apply')
  t.equal(h.state.store.get({ kind: 'ConfigMap', namespace: 'default', name: 'fine' }), undefined)
})

t.test('?namespace= is the namespace of objects that name none; an object naming one keeps it; nodes have none', async (t) => {
  const h = harness()
  const body = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: b, namespace: prod }\n`
  const r = await h.request('POST', '/v1/apply?namespace=shop', body, yaml)
  t.equal(r.status, 200)
  t.same(r.json<Results>().results.map((x) => `${x.namespace}/${x.name}`), ['shop/a', 'prod/b'])
  t.equal((await h.request('GET', '/v1/configmaps/a?namespace=shop')).status, 200)
  const dry = await h.request('POST', '/v1/apply?namespace=shop&dryRun=true', `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n`, yaml)
  t.same(dry.json<Results>().results.map((x) => x.namespace), ['shop'])
  const bad = await h.request('POST', '/v1/apply?namespace=Not_A_Label', `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n`, yaml)
  t.equal(bad.status, 422, 'an invalid ?namespace= is reported as the objects\' metadata.namespace')
})
