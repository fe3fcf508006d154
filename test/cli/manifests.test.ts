// -f: files, directories in name order, stdin; parsing manifests for delete -f.
import t from 'tap'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseObjects, readSources } from '../../src/agent/cli-manifests.js'
import { targetsFromFiles } from '../../src/agent/cli-delete.js'

const dir = async (t: { teardown: (f: () => unknown) => void }, files: Record<string, string>) => {
  const root = await mkdtemp(join(tmpdir(), 'podmesh-cli-'))
  t.teardown(() => rm(root, { recursive: true, force: true }))
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(root, name, '..'), { recursive: true })
    await writeFile(join(root, name), text)
  }
  return root
}

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`

t.test('a directory gives its manifests in name order, skipping other files and subdirectories', async (t) => {
  const root = await dir(t, { 'b.yaml': CM('b'), 'a.json': '{"kind":"ConfigMap","metadata":{"name":"a"}}', 'c.yml': CM('c'), 'README.md': '# no', 'sub/d.yaml': CM('d') })
  const sources = await readSources([root])
  t.same(
    sources.map((s) => [s.name, s.contentType]),
    [
      [join(root, 'a.json'), 'application/json'],
      [join(root, 'b.yaml'), 'application/yaml'],
      [join(root, 'c.yml'), 'application/yaml'],
    ],
  )
})

t.test('files in the order given; - reads stdin and sniffs JSON', async (t) => {
  const root = await dir(t, { 'x.yaml': CM('x') })
  const sources = await readSources([join(root, 'x.yaml'), '-'], { readStdin: async () => '  [{"kind":"ConfigMap"}]' })
  t.same(sources.map((s) => s.name), [join(root, 'x.yaml'), 'stdin'])
  t.equal(sources[1]!.contentType, 'application/json')
  t.equal((await readSources(['-'], { readStdin: async () => CM('y') }))[0]!.contentType, 'application/yaml')
})

t.test('a missing path, an empty directory or no -f at all is a usage error', async (t) => {
  const root = await dir(t, { 'notes.txt': 'x' })
  await t.rejects(readSources([join(root, 'nope.yaml')]), { name: 'UsageError' })
  await t.rejects(readSources([root]), { name: 'UsageError' })
  await t.rejects(readSources([]), { name: 'UsageError' })
})

t.test('objects from multi-document YAML, JSON arrays and Lists; empty documents skipped', async (t) => {
  const yaml = { name: 'm.yaml', contentType: 'application/yaml' as const, text: `${CM('a')}---\n---\n${CM('b')}` }
  t.same(parseObjects(yaml).map((o) => (o.metadata as { name: string }).name), ['a', 'b'])
  const list = { name: 'l.json', contentType: 'application/json' as const, text: JSON.stringify({ kind: 'List', items: [{ kind: 'Pod', metadata: { name: 'p' } }] }) }
  t.same(parseObjects(list), [{ kind: 'Pod', metadata: { name: 'p' } }])
  const array = { name: 'a.json', contentType: 'application/json' as const, text: '[{"kind":"Pod"},{"kind":"Service"}]' }
  t.equal(parseObjects(array).length, 2)
  const broken = { name: 'bad.yaml', contentType: 'application/yaml' as const, text: `${CM('a')}---\nkey: [unclosed\n` }
  const err = t.throws(() => parseObjects(broken)) as Error
  t.equal(err.name, 'UsageError')
  t.match(err.message, /^bad\.yaml#2: /)
})

t.test('delete -f targets: kind, name, the manifest namespace or -n; nodes have none', async (t) => {
  const root = await dir(t, {
    'all.yaml': `${CM('a')}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n---\nkind: Node\nmetadata:\n  name: n1\n`,
  })
  const targets = await targetsFromFiles([join(root, 'all.yaml')], 'team')
  t.same(
    targets.map((x) => [x.kind.plural, x.name, x.namespace]),
    [
      ['configmaps', 'a', 'team'],
      ['deployments', 'web', 'shop'],
      ['nodes', 'n1', undefined],
    ],
  )
  const bad = await dir(t, { 'x.yaml': 'kind: Gadget\nmetadata:\n  name: g\n', 'y.yaml': 'kind: Pod\nmetadata: {}\n' })
  await t.rejects(targetsFromFiles([join(bad, 'x.yaml')], 'default'), { name: 'UsageError', message: /Gadget/ })
  await t.rejects(targetsFromFiles([join(bad, 'y.yaml')], 'default'), { name: 'UsageError', message: /no metadata\.name/ })
})
