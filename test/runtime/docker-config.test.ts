// The mapping of a pod to Docker create options, without an engine.
import t from 'tap'
import { chooseRuntime } from '../../src/runtime/choose.js'
import { containerCreateOptions, infraCreateOptions } from '../../src/runtime/docker/container-config.js'
import { labelFilter, ownedBy } from '../../src/runtime/docker/labels.js'
import { container, pod } from './fixtures.js'

const settings = { nodeId: 'n1', configHash: 'abcdef0123456789', restartCount: 2, backoffFailures: 1, infraId: 'infra123', filesDir: '/state/uid' }

t.test('command → Entrypoint, args → Cmd, env, workingDir, labels, network of the infra container', async t => {
  const c = container('app', { command: ['httpd'], args: ['-f'], workingDir: '/www' })
  const p = pod([c], {}, { app: { A: '1', B: 'two words' } })
  const o = containerCreateOptions(p, c, settings)
  t.same(o.Entrypoint, ['httpd'])
  t.same(o.Cmd, ['-f'])
  t.equal(o.WorkingDir, '/www')
  t.same(o.Env, ['A=1', 'B=two words'])
  t.equal(o.HostConfig?.NetworkMode, 'container:infra123')
  t.match(o.Labels, { 'io.podmesh.managed': 'true', 'io.podmesh.node': 'n1', 'io.podmesh.pod-uid': p.uid, 'io.podmesh.container': 'app', 'io.podmesh.restart-count': '2', 'io.podmesh.backoff-failures': '1', 'io.podmesh.config-hash': settings.configHash })
  const argsOnly = containerCreateOptions(p, container('app', { args: ['x'] }), settings)
  t.equal(argsOnly.Entrypoint, undefined, "args alone keep the image's entrypoint")
  t.same(argsOnly.Cmd, ['x'])
  const commandOnly = containerCreateOptions(p, container('app', { command: ['y'] }), settings)
  t.same(commandOnly.Cmd, [], "command alone drops the image's CMD, as in Kubernetes")
})

t.test('limits.cpu → NanoCpus, limits.memory → Memory, requests.cpu → CpuShares', async t => {
  const c = container('app', { resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '250m' } } })
  const o = containerCreateOptions(pod([c]), c, settings)
  t.equal(o.HostConfig?.NanoCpus, 500_000_000)
  t.equal(o.HostConfig?.Memory, 64 * 1024 * 1024)
  t.equal(o.HostConfig?.CpuShares, 256)
})

t.test('volumes: emptyDir as a named volume, hostPath as a bind, configMap files bound read-only', async t => {
  const c = container('app', { volumeMounts: [
    { name: 'scratch', mountPath: '/scratch', readOnly: false },
    { name: 'host', mountPath: '/host', readOnly: true, subPath: 'sub' },
    { name: 'conf', mountPath: '/etc/conf', readOnly: false },
  ] })
  const p = pod([c], { volumes: [{ name: 'scratch', emptyDir: {} }, { name: 'host', hostPath: { path: '/srv' } }, { name: 'conf', configMap: { name: 'cm' } }] })
  const m = containerCreateOptions(p, c, settings).HostConfig?.Mounts
  t.same(m, [
    { Type: 'volume', Source: `podmesh_${p.uid}_scratch`, Target: '/scratch', ReadOnly: false },
    { Type: 'bind', Source: '/srv/sub', Target: '/host', ReadOnly: true },
    { Type: 'bind', Source: '/state/uid/conf', Target: '/etc/conf', ReadOnly: true },
  ])
  t.throws(() => containerCreateOptions(p, container('app', { volumeMounts: [{ name: 'nope', mountPath: '/x', readOnly: false }] }), settings), { name: 'ContainerConfigError' })
})

t.test('the infra container publishes every host port, hostIP defaulting as configured', async t => {
  const p = pod([
    container('a', { ports: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }] }),
    container('b', { ports: [{ containerPort: 9000, hostPort: 9000, hostIP: '10.1.1.1', protocol: 'TCP' }] }),
  ], { hostname: 'web-0' })
  const o = infraCreateOptions(p, 'h', { nodeId: 'n1', image: 'pause', command: ['sleep', '1'], defaultHostIP: '127.0.0.1' })
  t.same(o.ExposedPorts, { '80/tcp': {}, '53/udp': {}, '9000/tcp': {} })
  t.same(o.HostConfig?.PortBindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }], '9000/tcp': [{ HostIp: '10.1.1.1', HostPort: '9000' }] })
  t.equal(o.Hostname, 'web-0')
  t.equal(o.Labels?.['io.podmesh.container'], 'POD')
})

t.test('ownership: label filters and the second check both require this node', async t => {
  t.same(labelFilter('n1', 'u1'), ['io.podmesh.managed=true', 'io.podmesh.node=n1', 'io.podmesh.pod-uid=u1'])
  t.ok(ownedBy({ 'io.podmesh.managed': 'true', 'io.podmesh.node': 'n1' }, 'n1'))
  t.notOk(ownedBy({ 'io.podmesh.managed': 'true', 'io.podmesh.node': 'n2' }, 'n1'))
  t.notOk(ownedBy({ 'io.podmesh.node': 'n1' }, 'n1'))
  t.notOk(ownedBy(undefined, 'n1'))
})

t.test('--runtime: explicit wins; otherwise docker when the socket answers', async t => {
  t.equal(await chooseRuntime('process', async () => true), 'process')
  t.equal(await chooseRuntime(undefined, async () => true), 'docker')
  t.equal(await chooseRuntime(undefined, async () => false), 'process')
})
