// Endpoints are pure: the Ready, undeleted pods with an IP that match the selector, on any node, with the
// targetPort resolved by number or by the container port's name. Also the listeners an agent wants.
import t from 'tap'
import { serviceEndpoints } from '../../src/services/endpoints.js'
import { desiredListeners } from '../../src/services/routing-mesh.js'
import type { StoredObject } from '../../src/state/store.js'

const stored = (kind: string, name: string, object: Record<string, unknown>, namespace = 'default'): StoredObject => ({
  kind, namespace, name, uid: `uid-${name}`, resourceVersion: 1, generation: 1, creationTimestamp: '2026-01-01T00:00:00.000Z', object,
})

const ready = [{ type: 'Ready', status: 'True', lastTransitionTime: 'x' }]
function pod(name: string, o: { labels?: Record<string, string>; ip?: string; ready?: boolean; phase?: string; node?: string; deleting?: boolean; reason?: string; ports?: unknown[]; namespace?: string } = {}): StoredObject {
  return stored('Pod', name, {
    metadata: { name, labels: o.labels ?? { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:01Z' } : {}) },
    spec: { nodeName: o.node ?? 'n1', containers: [{ name: 'main', image: 'x', ports: o.ports ?? [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
    status: { phase: o.phase ?? 'Running', ...(o.ip === '' ? {} : { podIP: o.ip ?? `10.0.0.${name.length}` }), conditions: o.ready === false ? [{ ...ready[0], status: 'False' }] : ready, ...(o.reason ? { reason: o.reason } : {}) },
  }, o.namespace)
}

function service(ports: unknown[], selector: Record<string, string> | null = { app: 'web' }, type = 'ClusterIP', status?: unknown): StoredObject {
  return stored('Service', 'web', { metadata: { name: 'web' }, spec: { type, ...(selector ? { selector } : {}), ports, sessionAffinity: 'None' }, ...(status ? { status } : {}) })
}

t.test('only Ready, Running, undeleted pods with an IP that match the selector, in the namespace, on any node', async (t) => {
  const pods = [
    pod('a', { node: 'n1' }),
    pod('b', { node: 'n2' }),
    pod('c', { ready: false }),
    pod('d', { deleting: true }),
    pod('e', { ip: '' }),
    pod('f', { phase: 'Pending' }),
    pod('g', { labels: { app: 'other' } }),
    pod('h', { namespace: 'other' }),
    pod('i', { reason: 'NodeLost' }),
  ]
  const e = serviceEndpoints(service([{ port: 80, targetPort: 8080, protocol: 'TCP' }]), pods)
  t.same(e.ports[0]!.ready.map((x) => `${x.pod}@${x.node}`), ['a@n1', 'b@n2'])
  t.same(e.notReady, ['c', 'd', 'e', 'f', 'i'])
  t.same(e.ports[0]!.ready[0], { ip: '10.0.0.1', port: 8080, pod: 'a', node: 'n1' })
})

t.test('a named targetPort resolves per pod through its container ports; pods without that name are left out', async (t) => {
  const pods = [pod('a'), pod('bb', { ports: [{ name: 'http', containerPort: 9090, protocol: 'TCP' }] }), pod('ccc', { ports: [] })]
  const e = serviceEndpoints(service([{ name: 'web', port: 80, targetPort: 'http', protocol: 'TCP' }, { name: 'raw', port: 81, targetPort: 7000, protocol: 'TCP' }]), pods)
  t.same(e.ports[0]!.ready.map((x) => `${x.pod}:${x.port}`), ['a:8080', 'bb:9090'])
  t.same(e.ports[1]!.ready.map((x) => `${x.pod}:${x.port}`), ['a:7000', 'bb:7000', 'ccc:7000'])
})

t.test('a service without a selector (or with an empty one) has no endpoints', async (t) => {
  t.same(serviceEndpoints(service([{ port: 80, targetPort: 80 }], null), [pod('a')]).ports[0]!.ready, [])
  t.same(serviceEndpoints(service([{ port: 80, targetPort: 80 }], {}), [pod('a')]).ports[0]!.ready, [])
})

t.test('a deleted pod leaves: endpoints computed without it', async (t) => {
  const svc = service([{ port: 80, targetPort: 8080 }])
  t.equal(serviceEndpoints(svc, [pod('a'), pod('b')]).ports[0]!.ready.length, 2)
  t.same(serviceEndpoints(svc, [pod('b')]).ports[0]!.ready.map((x) => x.pod), ['b'])
})

t.test('listeners: NodePort ports on the publish address, every port on the service address at its cluster port', async (t) => {
  const np = serviceEndpoints(service([{ name: 'a', port: 80, targetPort: 80, nodePort: 30080 }], { app: 'web' }, 'NodePort'), [])
  const cip = serviceEndpoints(stored('Service', 'db', { spec: { type: 'ClusterIP', selector: { app: 'db' }, ports: [{ port: 5432, targetPort: 5432 }] }, status: { clusterPorts: [{ port: 5432, clusterPort: 31000 }] } }), [])
  t.same(desiredListeners([np, cip], '127.0.0.21', '172.17.0.1').map((l) => `${l.kind} ${l.address}:${l.port} ${l.service}:${l.servicePort}`), [
    'nodePort 127.0.0.21:30080 default/web:80',
    'clusterPort 172.17.0.1:30080 default/web:80',
    'clusterPort 172.17.0.1:31000 default/db:5432',
  ])
  // 0.0.0.0 already covers the service address for a NodePort port.
  t.same(desiredListeners([np], '0.0.0.0', '172.17.0.1').map((l) => `${l.address}:${l.port}`), ['0.0.0.0:30080'])
  t.same(desiredListeners([cip], '0.0.0.0', undefined), [], 'no service address: no cluster-port listeners')
})
