// Real Kubernetes manifests apply unchanged, and come out with the defaults Kubernetes would give them.
import t from 'tap'
import type { Deployment, Node, Normalized, Pod, Resource, Secret, Service } from '../../src/resources/index.js'
import { formatIssues, parseManifests, validateDocument, validateManifests } from '../../src/resources/index.js'
import * as F from './fixtures.js'

function one<R extends Resource>(text: string): Normalized<R> {
  const docs = parseManifests(text, 'test.yaml')
  if (docs.length !== 1) throw new Error(`expected one document, got ${docs.length}`)
  const r = validateDocument(docs[0]!)
  if (!r.ok) throw new Error(formatIssues(r.issues))
  return r.object as Normalized<R>
}

t.test('the nginx Deployment of the docs, in full canonical form', async (t) => {
  const n = one<Deployment>(F.NGINX_DEPLOYMENT)
  t.same([n.kind, n.apiVersion, n.namespace, n.name, n.resourceVersion], ['Deployment', 'apps/v1', 'default', 'nginx-deployment', undefined])
  t.strictSame(n.object, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx-deployment', namespace: 'default', labels: { app: 'nginx' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: {
          containers: [{ name: 'nginx', image: 'nginx:1.14.2', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      minReadySeconds: 0,
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
      paused: false,
    },
  })
})

t.test('a NodePort Service and a multi-port ClusterIP Service', async (t) => {
  const np = one<Service>(F.NODEPORT_SERVICE).object
  t.strictSame(np.spec, {
    type: 'NodePort',
    selector: { 'app.kubernetes.io/name': 'MyApp' },
    ports: [{ protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30007 }],
    sessionAffinity: 'None',
  })
  const multi = one<Service>(F.MULTI_PORT_SERVICE).object
  t.equal(multi.spec.type, 'ClusterIP')
  t.same(
    multi.spec.ports.map((p) => [p.name, p.port, p.targetPort]),
    [
      ['http', 80, 9376],
      ['https', 443, 9377],
    ],
  )
  const noTarget = one<Service>('{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"port":8080}]}}').object
  t.equal(noTarget.spec.ports[0]!.targetPort, 8080, 'targetPort defaults to port')
})

t.test('a Secret: stringData wins over data and is folded into base64 data', async (t) => {
  const s = one<Secret>(F.SECRET_STRING_DATA).object
  t.strictSame(s, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'mysecret', namespace: 'default' },
    type: 'Opaque',
    immutable: false,
    data: { username: Buffer.from('administrator').toString('base64') },
  })
  t.notOk('stringData' in s)
})

t.test('a ConfigMap keeps its data as written, keys sorted', async (t) => {
  const cm = one(F.CONFIGMAP).object
  t.same(Object.keys((cm as { data: object }).data), ['game.properties', 'player_initial_lives', 'ui_properties_file_name', 'user-interface.properties'])
  t.match(cm, { data: { 'game.properties': 'enemy.types=aliens,monsters\nplayer.maximum-lives=5\n' } })
})

t.test('pods with env from ConfigMaps and Secrets, and every volume type', async (t) => {
  const cmPod = one<Pod>(F.CONFIGMAP_POD).object
  t.same(cmPod.spec.containers[0]!.env![0], { name: 'PLAYER_INITIAL_LIVES', valueFrom: { configMapKeyRef: { name: 'game-demo', key: 'player_initial_lives' } } })
  t.equal(cmPod.spec.containers[0]!.imagePullPolicy, 'Always', 'no tag: Always')
  const pod = one<Pod>(F.SECRET_ENV_AND_VOLUME_POD).object
  const c = pod.spec.containers[0]!
  t.same(c.envFrom, [{ secretRef: { name: 'test-secret' } }, { prefix: 'CONFIG_', configMapRef: { name: 'special-config' } }])
  t.same(c.volumeMounts, [
    { name: 'foo', mountPath: '/etc/foo', readOnly: true },
    { name: 'cache', mountPath: '/cache', readOnly: false },
    { name: 'logs', mountPath: '/var/log/host', readOnly: false, subPath: 'app' },
  ])
  t.same(pod.spec.volumes, [
    { name: 'foo', secret: { secretName: 'mysecret', optional: true } },
    { name: 'cache', emptyDir: { sizeLimit: '500Mi' } },
    { name: 'logs', hostPath: { path: '/var/log', type: 'Directory' } },
  ])
})

t.test('probes of every handler get the Kubernetes defaults', async (t) => {
  const [live, proxy, exec] = one<Pod>(F.PROBES_POD).object.spec.containers
  t.strictSame(live!.livenessProbe, {
    httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP', httpHeaders: [{ name: 'Custom-Header', value: 'Awesome' }] },
    initialDelaySeconds: 3,
    periodSeconds: 3,
    timeoutSeconds: 1,
    failureThreshold: 3,
    successThreshold: 1,
  })
  t.equal(live!.startupProbe!.httpGet!.port, 'liveness-port', 'a named port stays named')
  t.equal(live!.startupProbe!.failureThreshold, 30)
  t.strictSame(proxy!.readinessProbe!.tcpSocket, { port: 8081 })
  t.same(exec!.livenessProbe!.exec, { command: ['cat', '/tmp/healthy'] })
  t.equal(exec!.livenessProbe!.timeoutSeconds, 1)
})

t.test('resources: quantities as written, requests default to limits', async (t) => {
  const [app, log] = one<Pod>(F.RESOURCES_POD).object.spec.containers
  t.strictSame(app!.resources, { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } })
  t.strictSame(log!.resources, { requests: { cpu: '1', memory: '128Mi' }, limits: { cpu: '1', memory: '128Mi' } }, 'YAML number 1 becomes "1"')
})

t.test('node affinity, tolerations, pod anti-affinity and the placement annotation', async (t) => {
  const pod = one<Pod>(F.NODE_AFFINITY_POD).object
  t.same(pod.spec.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms[0]!.matchExpressions![0]!.values, [
    'antarctica-east1',
    'antarctica-west1',
  ])
  t.same(pod.spec.tolerations, [
    { key: 'example-key', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 6000 },
  ])
  const d = one<Deployment>(F.ANTI_AFFINITY_DEPLOYMENT).object
  t.equal(d.metadata.annotations!['podmesh.io/placement'], 'spread')
  t.same(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } })
  t.equal(d.spec.template.spec.affinity!.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution![0]!.topologyKey, 'kubernetes.io/hostname')
})

t.test('a Node: cluster-scoped, server fields dropped, resourceVersion kept aside, status kept', async (t) => {
  const n = one<Node>(F.NODE)
  t.equal(n.namespace, '')
  t.equal(n.resourceVersion, 42)
  t.strictSame(n.object.metadata, {
    name: 'node-1',
    namespace: '',
    labels: { 'kubernetes.io/hostname': 'node-1', 'topology.kubernetes.io/zone': 'eu-west-1a' },
  })
  t.same(n.object.spec, { unschedulable: true, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })
  t.same(Object.keys(n.object.status!.capacity as object), ['cpu', 'memory'], 'status keys sorted')
})

t.test('status, uid and timestamps on input are accepted and dropped', async (t) => {
  const text = F.NGINX_DEPLOYMENT.replace('  name: nginx-deployment\n', '  name: nginx-deployment\n  uid: abc\n  generation: 4\n  resourceVersion: "17"\n') + 'status:\n  replicas: 3\n'
  const n = one<Deployment>(text)
  t.equal(n.resourceVersion, 17)
  t.notOk('status' in n.object)
  t.notOk('uid' in n.object.metadata)
  t.notOk('resourceVersion' in n.object.metadata)
})

t.test('imagePullPolicy defaults like Kubernetes', async (t) => {
  const cases: [string, string][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v2', 'IfNotPresent'],
    ['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
  ]
  for (const [image, want] of cases) {
    const pod = one<Pod>(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image }] } }))
    t.equal(pod.object.spec.containers[0]!.imagePullPolicy, want, image)
  }
})

t.test('every fixture together is one valid multi-document file', async (t) => {
  const all = [F.NGINX_DEPLOYMENT, F.NODEPORT_SERVICE, F.SECRET_STRING_DATA, F.CONFIGMAP, F.CONFIGMAP_POD, F.SECRET_ENV_AND_VOLUME_POD, F.PROBES_POD, F.RESOURCES_POD, F.NODE_AFFINITY_POD, F.ANTI_AFFINITY_DEPLOYMENT, F.NODE]
  const r = validateManifests(all.join('---\n'), 'all.yaml')
  t.ok(r.ok, r.ok ? '' : formatIssues(r.issues))
  if (r.ok) t.equal(r.objects.length, all.length)
})
