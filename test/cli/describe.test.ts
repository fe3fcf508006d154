// `agent describe` rendered from fixture objects.
import t from 'tap'
import { renderDescribe } from '../../src/agent/cli-describe.js'
import { envValue, probeString } from '../../src/agent/cli-describe-containers.js'
import { DescribeWriter } from '../../src/agent/cli-describe-writer.js'
import { schedulingMessage, tolerationString } from '../../src/agent/cli-describe-workloads.js'
import { resolveKind } from '../../src/agent/cli-kinds.js'
import { barePod, configMap, deployment, newDeployment, node, NOW, pendingPod, redactedSecret, runningPod, secret, service } from './fixtures.js'

const describe = (kind: string, o: object) => renderDescribe(resolveKind(kind), o as Record<string, unknown>, NOW)
const fieldOf = (text: string, label: string) => text.split('\n').find((l) => l.trimStart().startsWith(`${label}:`))?.replace(/^\s*[^:]+:\s*/, '')

t.test('the writer lines up values per level and continues multi-line values under the first', async (t) => {
  const w = new DescribeWriter().field('Name', 'web').field('Resource Version', 7).field('Labels', 'a=b\nc=d').heading('Containers').heading('web', 1).field('Image', 'nginx', 2).field('Ready', undefined, 2).field('After', '')
  t.equal(
    w.render(),
    [
      'Name:              web',
      'Resource Version:  7',
      'Labels:            a=b',
      '                   c=d',
      'Containers:',
      '  web:',
      '    Image:  nginx',
      '    Ready:  <none>',
      'After:             <none>',
      '',
    ].join('\n'),
  )
})

t.test('every object starts with its metadata', async (t) => {
  const text = describe('po', runningPod)
  t.equal(fieldOf(text, 'Name'), 'web-2')
  t.equal(fieldOf(text, 'Namespace'), 'shop')
  t.match(text, /Labels: +app=web\n +tier=front\n/)
  t.equal(fieldOf(text, 'Annotations'), '<none>')
  t.equal(fieldOf(text, 'Created'), '2026-03-01T09:55:00.000Z (125m ago)')
  t.equal(fieldOf(text, 'Resource Version'), '42')
  t.notMatch(describe('no', node), /Namespace:/, 'nodes have no namespace')
})

t.test('a pending pod says why the scheduler found no node', async (t) => {
  const text = describe('po', pendingPod)
  t.equal(fieldOf(text, 'Status'), 'Pending')
  t.equal(fieldOf(text, 'Scheduling'), '0/3 nodes available: 2 insufficient memory, 1 node(s) were cordoned')
  t.equal(fieldOf(text, 'State'), 'Waiting (not started)')
  t.equal(schedulingMessage(runningPod), undefined, 'a scheduled pod has no scheduling message')
  t.equal(schedulingMessage(barePod), undefined)
  t.notMatch(describe('po', barePod), /Scheduling:/)
})

t.test('a pod shows containers: image, ports, state, restarts, probes, env with secret refs as refs', async (t) => {
  const text = describe('po', runningPod)
  t.match(text, /\n  web:\n    Image: +nginx:1\.27\n    Ports: +80\/TCP \(http\), 443\/TCP\n    Host Ports: +8443\/TCP\n    State: +Running since/)
  t.match(text, /\n  sidecar:\n    Image: +envoy:1\n/)
  t.notMatch(text, /State: +Running since[^\n]*\n +Message:/, 'a running container has no message')
  t.match(text, /State: +Waiting \(CrashLoopBackOff\)\n +Message: +back-off 40s restarting failed container sidecar\n +Last State: +Terminated \(Error, exit code 1\)\n +Ready: +False\n +Restart Count: +5\n/)
  t.match(text, /Liveness: +http-get http:\/\/:80\/healthz delay=0s timeout=1s period=5s #success=1 #failure=3\n/)
  t.match(text, /DB_PASSWORD: +<set to the key 'password' in secret 'db'>\n/)
  t.match(text, /Controlled By: +Deployment\/web\n/)
  t.equal(fieldOf(text, 'Status'), 'Running', "the phase, as kubectl's describe shows it, not get's CrashLoopBackOff")
  t.equal(fieldOf(describe('po', { ...runningPod, status: { ...runningPod.status, phase: 'Unknown', reason: 'NodeLost' } }), 'Reason'), 'NodeLost')
  t.match(text, /Conditions:\n  Type +Status +Reason +Message\n  -+ +-+ +-+ +-+\n  Ready +True\n/)
  t.equal(fieldOf(text, 'Tolerations'), 'dedicated=web:NoSchedule')
  t.match(text, /Mounts: +\/etc\/web from config \(ro\)\n/)
  t.match(text, /Volumes: +config \(ConfigMap cfg\)\n +scratch \(EmptyDir\)\n/)
})

t.test('a deployment shows replicas, selector, strategy and its pod template', async (t) => {
  const text = describe('deploy', deployment)
  t.equal(fieldOf(text, 'Replicas'), '3 desired | 3 updated | 3 total | 2 available | 1 unavailable')
  t.equal(fieldOf(text, 'Selector'), 'app=web')
  t.equal(fieldOf(text, 'StrategyType'), 'RollingUpdate')
  t.equal(fieldOf(text, 'RollingUpdateStrategy'), '0 max unavailable, 1 max surge')
  t.match(text, /Pod Template:\n  Labels: +app=web\n  Containers:\n    web:\n      Image: +nginx:1\.27\n/)
  t.equal(fieldOf(describe('deploy', newDeployment), 'Replicas'), '1 desired | 0 updated | 0 total | 0 available | 0 unavailable')
  t.equal(fieldOf(describe('deploy', newDeployment), 'RollingUpdateStrategy'), '25% max unavailable, 25% max surge')
})

t.test('a service shows each port, its target, node port, and endpoints', async (t) => {
  const text = describe('svc', service)
  t.match(text, /Port: +http  80\/TCP\nTargetPort: +8080\/TCP\nNodePort: +30080\/TCP\nPort: +<unset>  53\/UDP\nTargetPort: +53\/UDP\n/)
  t.equal(fieldOf(text, 'Endpoints'), '10.0.0.7:8080')
  t.equal(fieldOf(describe('svc', { metadata: { name: 'x' } }), 'Endpoints'), '<none>')
})

t.test('a node shows taints, conditions, capacity and allocatable', async (t) => {
  const text = describe('no', node)
  t.equal(fieldOf(text, 'Taints'), 'dedicated=web:NoSchedule')
  t.equal(fieldOf(text, 'Unschedulable'), 'true')
  t.match(text, /Capacity:\n  cpu: +4\n  memory: +8Gi\n  pods: +110\nAllocatable:\n  cpu: +3800m\n/)
  t.match(text, /Ready +True +AgentReady +agent is posting status/)
  t.equal(fieldOf(describe('no', { metadata: { name: 'bare' } }), 'Capacity'), '<none>')
})

t.test('a secret shows keys and byte sizes, never values', async (t) => {
  const text = describe('secret', secret)
  t.match(text, /password: +8 bytes\nuser: +5 bytes\n/)
  t.notMatch(text, /hunter22/)
  t.notMatch(text, Buffer.from('hunter22').toString('base64'))
  t.match(describe('secret', redactedSecret), /password: +<redacted>/)
})

t.test('a config map shows its data', async (t) => {
  t.match(describe('cm', configMap), /Data\n====\ncolor:\n----\nblue\n\napp\.conf:\n----\na=1\nb=2\n/)
})

t.test('probe, env and toleration strings', async (t) => {
  t.equal(probeString({ exec: { command: ['cat', '/ok'] }, initialDelaySeconds: 3, failureThreshold: 1 }), 'exec [cat /ok] delay=3s timeout=1s period=10s #success=1 #failure=1')
  t.equal(probeString(undefined), undefined)
  t.equal(envValue({ name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }), '(v1:metadata.name)')
  t.equal(tolerationString({ operator: 'Exists' }), 'op=Exists')
  t.equal(tolerationString({ key: 'k', operator: 'Exists', effect: 'NoExecute' }), 'k op=Exists:NoExecute')
})
