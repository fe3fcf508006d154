// Service discovery, pure parts: the DNS answers (A, SRV, NXDOMAIN, names that are not ours) and the
// Kubernetes-style environment variables, which stay fixed for a pod once computed.
import t from 'tap'
import { answer, parseServiceName } from '../../src/services/dns-answer.js'
import { ServiceEnvironment, serviceVariables } from '../../src/services/service-env.js'
import { ObjectStore, type StoredObject } from '../../src/state/store.js'

const lookup = (namespace: string, name: string) => (namespace === 'default' && name === 'web' ? new Map([['http', 30080], ['', 30081]]) : undefined)
const q = (name: string, type: 'A' | 'SRV' | 'AAAA' = 'A') => ({ id: 7, flags: 1 << 8, questions: [{ name, type, class: 'IN' as const }] })
const rcode = (r: ReturnType<typeof answer>) => (r.kind === 'answer' ? (r.packet.flags ?? 0) & 0xf : -1)

t.test('names in the cluster zone parse; others are not ours', async (t) => {
  t.same(parseServiceName('web.default.svc'), { name: 'web', namespace: 'default' })
  t.same(parseServiceName('WEB.default.svc.cluster.local.'), { name: 'web', namespace: 'default' })
  t.same(parseServiceName('_http._tcp.web.default.svc.cluster.local'), { port: 'http', name: 'web', namespace: 'default' })
  t.equal(parseServiceName('a.b.c.svc.cluster.local'), 'inZone')
  t.equal(parseServiceName('example.com'), undefined)
})

t.test('A records carry the service address; unknown services are NXDOMAIN; other names are forwarded', async (t) => {
  const a = answer(q('web.default.svc'), lookup, '172.17.0.1')
  t.equal(a.kind, 'answer')
  t.same(a.kind === 'answer' && a.packet.answers, [{ type: 'A', name: 'web.default.svc', ttl: 5, data: '172.17.0.1' }])
  t.equal(a.kind === 'answer' && a.packet.id, 7)
  t.equal(rcode(a), 0)
  t.equal(rcode(answer(q('nope.default.svc.cluster.local'), lookup, '172.17.0.1')), 3)
  t.equal(rcode(answer(q('web.other.svc'), lookup, '172.17.0.1')), 3)
  t.same(answer(q('example.com'), lookup, '172.17.0.1'), { kind: 'forward' })
  const aaaa = answer(q('web.default.svc', 'AAAA'), lookup, '172.17.0.1')
  t.same(aaaa.kind === 'answer' && [rcode(aaaa), aaaa.packet.answers], [0, []], 'a name with no AAAA: empty answer, not NXDOMAIN')
})

t.test('SRV records give a named port its cluster port', async (t) => {
  const r = answer(q('_http._tcp.web.default.svc', 'SRV'), lookup, '172.17.0.1')
  t.same(r.kind === 'answer' && r.packet.answers, [{ type: 'SRV', name: '_http._tcp.web.default.svc', ttl: 5, data: { priority: 0, weight: 100, port: 30080, target: 'web.default.svc.cluster.local' } }])
  t.equal(rcode(answer(q('_nope._tcp.web.default.svc', 'SRV'), lookup, '172.17.0.1')), 3)
})

const at = (iso: string) => `2026-01-01T00:00:${iso}.000Z`
function svc(name: string, created: string, ports: { name?: string; port: number; clusterPort: number }[]): StoredObject {
  return { kind: 'Service', namespace: 'default', name, uid: name, resourceVersion: 1, generation: 1, creationTimestamp: at(created), object: { spec: { type: 'ClusterIP', ports }, status: { clusterPorts: ports } } }
}

t.test('service variables: HOST, PORT (first port), PORT_<NAME> per named port, link-style PORT', async (t) => {
  t.same(serviceVariables([svc('my-db', '00', [{ name: 'pg', port: 5432, clusterPort: 31001 }, { name: 'admin-ui', port: 80, clusterPort: 31002 }])], '172.17.0.1'), {
    MY_DB_SERVICE_HOST: '172.17.0.1',
    MY_DB_SERVICE_PORT: '31001',
    MY_DB_PORT: 'tcp://172.17.0.1:31001',
    MY_DB_SERVICE_PORT_PG: '31001',
    MY_DB_SERVICE_PORT_ADMIN_UI: '31002',
  })
})

t.test('a pod gets the services created before it, and keeps them when services come and go', async (t) => {
  const store = new ObjectStore()
  const put = (s: StoredObject) => store.restore([...store.toSnapshot().filter((o) => o.name !== s.name), s])
  put(svc('old', '01', [{ port: 80, clusterPort: 30001 }]))
  put(svc('later', '09', [{ port: 80, clusterPort: 30002 }]))
  const pod: StoredObject = { kind: 'Pod', namespace: 'default', name: 'p', uid: 'u1', resourceVersion: 1, generation: 1, creationTimestamp: at('05'), object: {} }
  const env = new ServiceEnvironment('127.0.0.1', store, '172.17.0.1')
  const first = env.forPod(pod)
  t.same(Object.keys(first.vars).filter((k) => k.endsWith('_SERVICE_HOST')), ['OLD_SERVICE_HOST'])
  t.same(first.dns, { servers: ['172.17.0.1'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] })
  store.restore([])
  t.same(env.forPod(pod).vars, first.vars, 'unchanged after the service is deleted: no restart')
  env.retain(new Set())
  t.same(env.forPod(pod).vars, {}, 'forgotten pods are computed afresh')
  t.same(new ServiceEnvironment(undefined, store).forPod(pod), { vars: {} })
})
