// Manifest files: YAML multi-document and JSON, documents named file#N, syntax errors located.
import t from 'tap'
import { detectFormat, formatIssues, parseManifests, readManifests, validateManifests } from '../../src/resources/index.js'
import { NGINX_DEPLOYMENT, NODEPORT_SERVICE, SECRET_STRING_DATA } from './fixtures.js'

const CM = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`

t.test('YAML documents are numbered by their place in the file; empty ones are skipped', async (t) => {
  const docs = parseManifests(`---\n${CM('a')}---\n# only a comment\n---\n${CM('b')}---\n`, 'app.yaml')
  t.same(
    docs.map((d) => [d.source, (d.value as { metadata: { name: string } }).metadata.name]),
    [
      ['app.yaml#1', 'a'],
      ['app.yaml#3', 'b'],
    ],
  )
  t.same(parseManifests('', 'empty.yaml'), [])
  t.same(parseManifests('# nothing\n', 'empty.yaml'), [])
})

t.test('a comment before the first --- does not make a document', async (t) => {
  t.same(
    parseManifests(`# header\n---\n${CM('a')}`, 'f.yaml').map((d) => d.source),
    ['f.yaml#1'],
  )
})

t.test('YAML syntax errors name the document and the line; other documents are still read', async (t) => {
  const text = `${CM('a')}---\nkind: [Pod,\n  name: x\n---\n${CM('c')}`
  const r = readManifests(text, 'bad.yaml')
  t.same(
    r.documents.map((d) => d.source),
    ['bad.yaml#1', 'bad.yaml#3'],
  )
  t.equal(r.issues.length, 1)
  t.equal(r.issues[0]!.document, 'bad.yaml#2')
  t.match(r.issues[0]!.reason, /^YAML syntax: .* at line (8|9|10), column \d+$/, 'a line of the second document')
  t.throws(() => parseManifests(text, 'bad.yaml'), { name: 'ManifestSyntaxError', issues: r.issues })
})

t.test('duplicate keys are errors, in YAML and in JSON', async (t) => {
  const y = readManifests('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n', 'dup.yaml')
  t.same(y.issues.map((i) => [i.document, i.reason]), [['dup.yaml#1', 'YAML syntax: Map keys must be unique at line 5, column 3']])
  const j = readManifests('{"kind": "Pod",\n "metadata": {"name": "a",\n  "labels": {}, "name": "b"}}', 'dup.json')
  t.same(j.issues.map((i) => [i.document, i.reason]), [['dup.json', 'JSON syntax: duplicate key "name" at line 3, column 17']])
  t.same(readManifests('{"a": {"x": 1}, "b": {"x": 2}, "c": ["x", "x"], "d": "\\"x\\": 1, \\"x\\""}', 'ok.json').issues, [], 'same key in different objects, or in strings, is fine')
})

t.test('JSON: an object, an array, or a List', async (t) => {
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }
  const obj2 = { ...obj, metadata: { name: 'b' } }
  t.same(parseManifests(JSON.stringify(obj), 'req').map((d) => d.source), ['req#1'])
  t.same(parseManifests(JSON.stringify([obj, obj2]), 'req').map((d) => d.source), ['req#1', 'req#2'])
  const list = parseManifests(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [obj, obj2] }), 'req')
  t.same(list.map((d) => [d.source, d.value]), [
    ['req#1', obj],
    ['req#2', obj2],
  ])
  const bad = readManifests('{"kind": "Pod",\n "metadata": }', 'req', 'json')
  t.same(bad.issues, [{ document: 'req', path: '', reason: 'JSON syntax: unexpected "}" at line 2, column 14' }])
})

t.test('a YAML List is expanded into its items', async (t) => {
  const text = `${CM('first')}---\napiVersion: v1\nkind: List\nitems:\n- ${CM('a').trimEnd().replace(/\n/g, '\n  ')}\n- ${CM('b').trimEnd().replace(/\n/g, '\n  ')}\n`
  t.same(
    parseManifests(text, 'l.yaml').map((d) => d.source),
    ['l.yaml#1', 'l.yaml#2.items[0]', 'l.yaml#2.items[1]'],
  )
})

t.test('YAML anchors and merge keys work', async (t) => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\n  labels: &l {app: web}\n  annotations:\n    <<: *l\n    note: x\n'
  t.same(parseManifests(text, 'm.yaml')[0]!.value, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm', labels: { app: 'web' }, annotations: { app: 'web', note: 'x' } } })
})

t.test('format detection', async (t) => {
  t.equal(detectFormat('  {"a": 1}'), 'json')
  t.equal(detectFormat('\n[1]'), 'json')
  t.equal(detectFormat('a: 1'), 'yaml')
  t.equal(detectFormat('---\n{}'), 'yaml')
})

t.test('a file with errors in several documents reports all of them, each named file#N', async (t) => {
  const text = [
    NGINX_DEPLOYMENT.replace('replicas: 3', 'replicas: -1'),
    NODEPORT_SERVICE,
    NODEPORT_SERVICE.replace('type: NodePort', 'type: LoadBalancer').replace('my-service', 'other'),
    'apiVersion: v1\nkind: Pod\nmetadata: {name: [}\n',
    SECRET_STRING_DATA.replace('YWRtaW4=', 'YWRtaW4'),
    NODEPORT_SERVICE.replace('nodePort: 30007', 'nodePort: 30008'),
  ].join('---\n')
  const r = validateManifests(text, 'deploy.yaml')
  t.notOk(r.ok)
  if (r.ok) return
  t.same(
    formatIssues(r.issues).replace(/(#4: YAML syntax: ).*/, '$1…').split('\n'),
    [
      'deploy.yaml#1 spec.replicas: must be >= 0',
      'deploy.yaml#3 spec.type: LoadBalancer is not supported by podmesh (ClusterIP or NodePort)',
      'deploy.yaml#3 spec.ports[0].nodePort: may only be set when type is NodePort',
      'deploy.yaml#4: YAML syntax: …',
      'deploy.yaml#5 data[username]: must be base64 (standard alphabet, with padding)',
      'deploy.yaml#6 metadata.name: Service default/my-service is already defined by deploy.yaml#2',
    ],
  )
})

t.test('validateManifests returns every object when all are valid', async (t) => {
  const r = validateManifests([NGINX_DEPLOYMENT, NODEPORT_SERVICE].join('---\n'), 'ok.yaml')
  t.ok(r.ok)
  if (r.ok) t.same(r.objects.map((o) => `${o.kind} ${o.namespace}/${o.name}`), ['Deployment default/nginx-deployment', 'Service default/my-service'])
  const sameNameOtherNs = validateManifests([CM('a'), CM('a').replace('name: a', 'name: a\n  namespace: prod')].join('---\n'), 'ns.yaml')
  t.ok(sameNameOtherNs.ok, 'the same name in two namespaces is two objects')
})
