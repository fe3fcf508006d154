// `agent get` tables from fixture objects: kubectl's columns, sensible cells when status is missing.
import t from 'tap'
import { nodeReady, podStatus, selectorString, servicePorts, tableOf } from '../../src/agent/cli-columns.js'
import { resolveKind } from '../../src/agent/cli-kinds.js'
import type { Json } from '../../src/agent/cli-object.js'
import { formatGet } from '../../src/agent/cli-output.js'
import { barePod, configMap, deployment, newDeployment, node, NOW, pendingPod, runningPod, secret, service } from './fixtures.js'

const table = (kind: string, items: Json[], opts: { wide?: boolean; allNamespaces?: boolean } = {}) => tableOf(resolveKind(kind), items, { now: NOW, ...opts })

t.test('pods: NAME READY STATUS RESTARTS AGE; wide adds IP and NODE', async (t) => {
  const { headers, rows } = table('pods', [pendingPod, runningPod, barePod], { wide: true })
  t.same(headers, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE'])
  t.same(rows[0], ['web-1', '0/1', 'Pending', '0', '5s', '<none>', '<none>'])
  t.same(rows[1], ['web-2', '1/2', 'CrashLoopBackOff', '7', '125m', '10.0.0.7', 'n2'])
  t.same(rows[2], ['bare', '0/1', 'Pending', '0', '3m', '<none>', '<none>'])
})

t.test('pod status: waiting and terminated reasons win over the phase; deletion shows Terminating', async (t) => {
  t.equal(podStatus({ status: { phase: 'Running', containerStatuses: [{ ready: true, state: { running: {} } }] } }), 'Running')
  t.equal(podStatus({ status: { phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 137 } } }] } }), 'ExitCode:137')
  t.equal(podStatus({ status: { phase: 'Succeeded', containerStatuses: [{ state: { terminated: { reason: 'Completed', exitCode: 0 } } }] } }), 'Completed')
  t.equal(podStatus({ metadata: { deletionTimestamp: 'x' }, status: { phase: 'Running' } }), 'Terminating')
  t.equal(podStatus({ status: { reason: 'Evicted', phase: 'Failed' } }), 'Evicted')
})

t.test('deployments: READY is ready/desired, default 1 desired and zeros before any status', async (t) => {
  const { headers, rows } = table('deploy', [deployment, newDeployment])
  t.same(headers, ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'])
  t.same(rows, [
    ['web', '2/3', '3', '2', '4d3h'],
    ['api', '0/1', '0', '0', '10s'],
  ])
  const wide = table('deploy', [deployment], { wide: true })
  t.same(wide.rows[0]!.slice(5), ['web', 'nginx:1.27', 'app=web'])
})

t.test('services: NAME TYPE SELECTOR PORT(S) AGE (no cluster IP in podmesh)', async (t) => {
  const { headers, rows } = table('svc', [service])
  t.same(headers, ['NAME', 'TYPE', 'SELECTOR', 'PORT(S)', 'AGE'])
  t.same(rows[0], ['web', 'NodePort', 'app=web', '80:30080/TCP,53/UDP', '90s'])
  t.equal(servicePorts({ spec: { ports: [{ port: 80, targetPort: 8080 }] } }), '80/TCP', 'the second number is only ever the nodePort, as in kubectl')
  t.equal(servicePorts({ spec: { ports: [{ port: 80, targetPort: 80 }] } }), '80/TCP')
  t.equal(servicePorts({ spec: {} }), '<none>')
  t.same(table('svc', [{ metadata: { name: 'x' } }]).rows[0], ['x', '<none>', '<none>', '<none>', '<unknown>'])
})

t.test('configmaps and secrets count their keys; secrets show their type', async (t) => {
  t.same(table('cm', [configMap]), { headers: ['NAME', 'DATA', 'AGE'], rows: [['cfg', '2', '3m']] })
  t.same(table('secret', [secret]), { headers: ['NAME', 'TYPE', 'DATA', 'AGE'], rows: [['db', 'Opaque', '2', '40d']] })
})

t.test('nodes: NAME STATUS ROLES AGE VERSION; cordoned shows SchedulingDisabled', async (t) => {
  const { headers, rows } = table('nodes', [node, { metadata: { name: 'n2' } }], { wide: true, allNamespaces: true })
  t.same(headers, ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'OS-IMAGE', 'CONTAINER-RUNTIME'], 'no NAMESPACE column for a cluster-scoped kind')
  t.same(rows[0], ['n1', 'Ready,SchedulingDisabled', 'control-plane', '3h', '0.1.0', '192.168.1.10', 'Debian 12', 'docker://27.0'])
  t.same(rows[1], ['n2', 'Unknown', '<none>', '<unknown>', '<none>', '<none>', '<none>', '<none>'])
  t.equal(nodeReady({ status: { conditions: [{ type: 'Ready', status: 'False' }] } }), 'NotReady')
})

t.test('-A puts NAMESPACE first', async (t) => {
  const { headers, rows } = table('po', [runningPod], { allNamespaces: true })
  t.equal(headers[0], 'NAMESPACE')
  t.equal(rows[0]![0], 'shop')
})

t.test('selectors: matchLabels, expressions and plain maps', async (t) => {
  t.equal(selectorString({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'Exists' }, { key: 'y', operator: 'DoesNotExist' }] }), 'app=web,tier in (a,b),x,!y')
  t.equal(selectorString({ app: 'web', tier: 'front' }), 'app=web,tier=front')
  t.equal(selectorString(undefined), undefined)
})

t.test('the printed table lines up columns three spaces apart', async (t) => {
  const text = formatGet(resolveKind('deploy'), { items: [deployment, newDeployment] }, 'table', { now: NOW })
  t.equal(text, ['NAME   READY   UP-TO-DATE   AVAILABLE   AGE', 'web    2/3     3            2           4d3h', 'api    0/1     0            0           10s', ''].join('\n'))
  t.equal(formatGet(resolveKind('deploy'), { items: [] }, 'table', { now: NOW }), '', 'an empty list prints nothing on stdout')
})
