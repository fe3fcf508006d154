// What the API serves applies back: a deployment's pod with its ownerReferences, a PodList from
// `get -o json`, and a redacted Secret fails saying where the values are.
import t from 'tap'
import { formatIssue, readManifests, validateDocument } from '../../src/resources/index.js'

type Obj = Record<string, unknown>
const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u-1', controller: true, blockOwnerDeletion: true }
const pod = (meta: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', ...meta }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } })
const issues = (value: unknown): string[] => {
  const r = validateDocument({ source: 'f#1', value })
  return r.ok ? [] : r.issues.map(formatIssue).sort()
}

t.test('metadata.ownerReferences is kept, and the canonical form validates again to the same bytes', async (t) => {
  const r = validateDocument({ source: 'f#1', value: pod({ ownerReferences: [owner], uid: 'x', resourceVersion: '3' }) })
  t.ok(r.ok)
  if (!r.ok) return
  t.same((r.object.object.metadata as unknown as Obj).ownerReferences, [owner])
  const again = validateDocument({ source: 'f#1', value: r.object.object })
  t.equal(again.ok && JSON.stringify(again.object.object), JSON.stringify(r.object.object))
})

t.test('an ownerReference has the shape of Kubernetes\' OwnerReference', async (t) => {
  t.same(issues(pod({ ownerReferences: [{ kind: 'Deployment', controller: 'yes', extra: 1 }] })), [
    'f#1 metadata.ownerReferences[0].apiVersion: is required',
    'f#1 metadata.ownerReferences[0].controller: must be true or false (got "yes")',
    'f#1 metadata.ownerReferences[0].extra: unknown field "extra" (podmesh does not support it)',
    'f#1 metadata.ownerReferences[0].name: is required',
    'f#1 metadata.ownerReferences[0].uid: is required',
  ])
})

t.test('the list kinds the API serves (PodList, ConfigMapList…) expand like List, in JSON and YAML', async (t) => {
  const list = { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '9' }, items: [pod(), pod({ name: 'web-2' })] }
  const json = readManifests(JSON.stringify(list), 'stdin', 'json')
  t.same(json.issues, [])
  t.same(json.documents.map((d) => d.source), ['stdin#1', 'stdin#2'])
  const yaml = readManifests(`kind: ConfigMapList\napiVersion: v1\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n`, 'stdin', 'yaml')
  t.same(yaml.documents.map((d) => d.source), ['stdin#1.items[0]'])
  t.same(readManifests(JSON.stringify({ kind: 'GadgetList', items: [] }), 'stdin', 'json').documents.length, 1, 'not a kind podmesh serves: one document')
})

t.test('a Secret value "<redacted>" says it is the placeholder and how to get the values', async (t) => {
  const [one] = issues({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: '<redacted>' } })
  t.match(one, /^f#1 data\[password\]: is the <redacted> placeholder/)
  t.match(one, 'agent get secret NAME -o yaml --show-secrets')
})
