// -o json|yaml|name, and the watch printer's rows lining up with the first table.
import t from 'tap'
import { parse } from 'yaml'
import { resolveKind } from '../../src/agent/cli-kinds.js'
import { formatGet, noneFound, parseOutputFormat, WatchPrinter } from '../../src/agent/cli-output.js'
import { configMap, deployment, newDeployment, NOW } from './fixtures.js'

const list = { apiVersion: 'apps/v1', kind: 'DeploymentList', metadata: { resourceVersion: '9' }, items: [deployment, newDeployment] }
const deploy = resolveKind('deploy')

t.test('json and yaml print the whole List, or the one object asked for', async (t) => {
  t.same(JSON.parse(formatGet(deploy, list, 'json', { now: NOW })), list)
  t.same(parse(formatGet(deploy, list, 'yaml', { now: NOW })), list)
  const one = { items: [deployment] }
  t.same(JSON.parse(formatGet(deploy, one, 'json', { now: NOW, single: true })), deployment)
  const y = formatGet(deploy, one, 'yaml', { now: NOW, single: true })
  t.same(parse(y), deployment)
  t.match(y, /^apiVersion: apps\/v1\nkind: Deployment\n/)
})

t.test('yaml keeps multi-line strings readable and parseable', async (t) => {
  const y = formatGet(resolveKind('cm'), { items: [configMap] }, 'yaml', { now: NOW, single: true })
  t.same(parse(y), configMap)
})

t.test('-o name prints kind/name lines', async (t) => {
  t.equal(formatGet(deploy, list, 'name', { now: NOW }), 'deployment.apps/web\ndeployment.apps/api\n')
})

t.test('output formats: unknown is a usage error', async (t) => {
  t.equal(parseOutputFormat(undefined), 'table')
  t.equal(parseOutputFormat('wide'), 'wide')
  t.equal((t.throws(() => parseOutputFormat('xml')) as Error).name, 'UsageError')
})

t.test('nothing found names the namespace for namespaced kinds', async (t) => {
  t.equal(noneFound(deploy, 'shop'), 'No resources found in shop namespace.')
  t.equal(noneFound(resolveKind('nodes'), undefined), 'No resources found')
})

t.test('a watch prints the header once, then one row per change, widening as needed', async (t) => {
  const out: string[] = []
  const p = new WatchPrinter(deploy, 'table', { now: NOW }, (s) => out.push(s))
  p.print([newDeployment], NOW)
  p.print([{ ...deployment, metadata: { ...deployment.metadata, name: 'a-much-longer-name' } }], NOW)
  p.print([newDeployment], NOW)
  t.same(out, [
    'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\n',
    'api    0/1     0            0           10s\n',
    'a-much-longer-name   2/3     3            2           4d3h\n',
    'api                  0/1     0            0           10s\n',
  ])
})

t.test('a watch that starts empty prints the header with the first change', async (t) => {
  const out: string[] = []
  const p = new WatchPrinter(deploy, 'table', { now: NOW }, (s) => out.push(s))
  p.print([], NOW)
  t.same(out, [])
  p.print([newDeployment], NOW)
  t.equal(out.length, 2)
  t.match(out[0], /^NAME/)
})

t.test('a watch in json prints one object per line', async (t) => {
  const out: string[] = []
  const p = new WatchPrinter(deploy, 'json', { now: NOW }, (s) => out.push(s))
  p.print([deployment, newDeployment], NOW)
  t.same(out.map((l) => JSON.parse(l)), [deployment, newDeployment])
  t.ok(out.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n')))
})
