// Every class of error, with its exact path and message; all issues of a document are reported.
import t, { type Test } from 'tap'
import { formatIssue, validateDocument } from '../../src/resources/index.js'

type Obj = Record<string, unknown>
const DOC = 'bad.yaml#1'

/** The issues of one document, as text, sorted (their order is not part of the contract). */
function issues(value: unknown): string[] {
  const r = validateDocument({ source: DOC, value })
  return r.ok ? [] : r.issues.map(formatIssue).sort()
}

function expectIssues(t: Test, value: unknown, want: string[], name?: string): void {
  t.strictSame(issues(value), want.map((w) => `${DOC} ${w}`).sort(), name ?? want[0] ?? 'no issues')
}

function pod(spec: Obj = {}, container: Obj = {}, meta: Obj = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', ...meta },
    spec: { containers: [{ name: 'app', image: 'nginx:1', ...container }], ...spec },
  }
}

function deployment(spec: Obj = {}, podSpec: Obj = {}, meta: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', ...meta },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }], ...podSpec } },
      ...spec,
    },
  }
}

function service(spec: Obj = {}, meta: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', ...meta }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec } }
}

const C = 'spec.containers[0]'
const T = 'spec.template.spec'

t.test('the baselines are valid', async (t) => {
  t.same(issues(pod()), [])
  t.same(issues(deployment()), [])
  t.same(issues(service()), [])
})

t.test('documents that are not manifests', async (t) => {
  t.strictSame(issues('hello'), [`${DOC}: must be an object with apiVersion and kind (got "hello")`])
  t.strictSame(issues([1]), [`${DOC}: must be an object with apiVersion and kind (got a list)`])
  expectIssues(t, {}, ['apiVersion: is required', 'kind: is required'])
  expectIssues(t, { apiVersion: 'apps/v1', kind: 'ReplicaSet' }, [
    'kind: "ReplicaSet" is not a kind podmesh supports (supported: v1 Node, v1 Pod, apps/v1 Deployment, v1 Service, v1 Secret, v1 ConfigMap)',
  ])
  expectIssues(t, { ...deployment(), apiVersion: 'extensions/v1beta1' }, ['apiVersion: Deployment is apps/v1 in podmesh (got "extensions/v1beta1")'])
  expectIssues(t, { ...pod(), apiVersion: 'apps/v1' }, ['apiVersion: Pod is v1 in podmesh (got "apps/v1")'])
})

t.test('unknown fields at every depth name the field', async (t) => {
  const u = (f: string): string => `unknown field "${f}" (podmesh does not support it)`
  expectIssues(t, { ...pod(), foo: 1 }, [`foo: ${u('foo')}`])
  expectIssues(t, pod({}, {}, { finalizers: ['x'] }), [`metadata.finalizers: ${u('finalizers')}`])
  expectIssues(t, pod({ dnsPolicy: 'ClusterFirst' }), [`spec.dnsPolicy: ${u('dnsPolicy')}`])
  expectIssues(t, pod({}, { securityContext: { runAsUser: 1000 } }), [`${C}.securityContext: ${u('securityContext')}`])
  expectIssues(t, pod({}, { ports: [{ containerPort: 80, appProtocol: 'http' }] }), [`${C}.ports[0].appProtocol: ${u('appProtocol')}`])
  expectIssues(t, pod({}, { resources: { limits: { 'nvidia.com/gpu': 1 } } }), [`${C}.resources.limits.nvidia.com/gpu: ${u('nvidia.com/gpu')}`])
  expectIssues(t, pod({ volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'c' } }] }), [`spec.volumes[0].persistentVolumeClaim: ${u('persistentVolumeClaim')}`])
  expectIssues(t, deployment({}, { containers: [{ name: 'a', image: 'x:1', livenessProbe: { tcpSocket: { port: 1, extra: true } } }] }), [
    `${T}.containers[0].livenessProbe.tcpSocket.extra: ${u('extra')}`,
  ])
  expectIssues(t, { ...service(), spec: { ...(service().spec as Obj), clusterIP: 'None' } }, ['spec.clusterIP: clusterIP is not supported by podmesh (it assigns service addresses itself)'])
})

t.test('Kubernetes features podmesh refuses, with a specific reason', async (t) => {
  expectIssues(t, pod({}, {}, { generateName: 'p-' }), ['metadata.generateName: generateName is not supported by podmesh: set metadata.name'])
  expectIssues(t, pod({ affinity: { podAffinity: {} } }), ['spec.affinity.podAffinity: podAffinity is not supported by podmesh (nodeAffinity and podAntiAffinity are)'])
  expectIssues(t, pod({ initContainers: [] }), ['spec.initContainers: initContainers are not supported by podmesh'])
  expectIssues(t, pod({}, { livenessProbe: { grpc: { port: 9000 } } }), [`${C}.livenessProbe.grpc: grpc probes are not supported by podmesh (use httpGet, tcpSocket or exec)`])
  expectIssues(t, pod({}, { readinessProbe: { httpGet: { port: 80, scheme: 'HTTPS' } } }), [`${C}.readinessProbe.httpGet.scheme: HTTPS probes are not supported by podmesh (HTTP only)`])
  expectIssues(t, pod({}, { env: [{ name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] }), [
    `${C}.env[0].valueFrom.fieldRef: fieldRef is not supported by podmesh (use secretKeyRef or configMapKeyRef)`,
  ])
  expectIssues(t, service({ type: 'LoadBalancer' }), ['spec.type: LoadBalancer is not supported by podmesh (ClusterIP or NodePort)'])
  expectIssues(t, service({ ports: [{ port: 53, protocol: 'UDP' }] }), ['spec.ports[0].protocol: UDP services are not supported by podmesh (TCP only)'])
  expectIssues(t, service({ sessionAffinity: 'ClientIP' }), ['spec.sessionAffinity: ClientIP session affinity is not supported by podmesh (None only)'])
  expectIssues(t, pod({}, { ports: [{ containerPort: 80, protocol: 'SCTP' }] }), [`${C}.ports[0].protocol: SCTP is not supported by podmesh (TCP or UDP)`])
})

t.test('types, ranges and enums', async (t) => {
  expectIssues(t, deployment({ replicas: 'three' }), ['spec.replicas: must be an integer (got "three")'])
  expectIssues(t, deployment({ replicas: -1 }), ['spec.replicas: must be >= 0'])
  expectIssues(t, deployment({ replicas: 1.5 }), ['spec.replicas: must be an integer (got number 1.5)'])
  expectIssues(t, deployment({}, { containers: [{ name: 'a', image: 'x:1', ports: [{ containerPort: 70000 }] }] }), [`${T}.containers[0].ports[0].containerPort: must be 1-65535`])
  expectIssues(t, pod({}, { ports: [{ containerPort: 80, hostPort: 65536 }] }), [`${C}.ports[0].hostPort: must be 1-65535`])
  expectIssues(t, pod({}, { imagePullPolicy: 'Sometimes' }), [`${C}.imagePullPolicy: must be one of Always, IfNotPresent, Never (got "Sometimes")`])
  expectIssues(t, pod({ restartPolicy: 'Maybe' }), ['spec.restartPolicy: must be one of Always, OnFailure, Never (got "Maybe")'])
  expectIssues(t, pod({}, { command: 'echo hi' }), [`${C}.command: must be a list (got "echo hi")`])
  expectIssues(t, pod({}, { args: ['a', 2] }), [`${C}.args[1]: must be a string (got number 2)`])
  expectIssues(t, pod({ containers: {} }), ['spec.containers: must be a list (got an object)'])
  expectIssues(t, pod({}, { ports: [{ containerPort: 80, hostIP: 'localhost' }] }), [`${C}.ports[0].hostIP: must be an IP address`])
  expectIssues(t, { ...pod(), spec: 'x' }, ['spec: must be an object (got "x")'])
})

t.test('required fields', async (t) => {
  expectIssues(t, { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [{ name: 'a' }] } }, ['metadata.name: is required', `${C}.image: is required`])
  expectIssues(t, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }, ['spec: is required'])
  expectIssues(t, pod({ containers: [] }), ['spec.containers: is required'])
  expectIssues(t, { ...deployment(), spec: { template: (deployment().spec as Obj).template } }, ['spec.selector: is required'])
  expectIssues(t, service({ ports: [] }), ['spec.ports: is required'])
  expectIssues(t, pod({}, { env: [{ value: 'x' }] }), [`${C}.env[0].name: is required`])
})

t.test('names, labels and annotations follow the Kubernetes syntax', async (t) => {
  expectIssues(t, pod({}, {}, { name: 'My_Pod' }), [
    'metadata.name: must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
  ])
  expectIssues(t, service({}, { name: '1svc' }), ['metadata.name: must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit'])
  expectIssues(t, pod({}, {}, { namespace: 'Prod' }), ['metadata.namespace: must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit'])
  expectIssues(t, pod({}, {}, { name: 'a'.repeat(254) }), ['metadata.name: must be no more than 253 characters (got 254)'])
  expectIssues(t, pod({}, {}, { labels: { version: 1.1 } }), ['metadata.labels[version]: must be a string (got number 1.1)'])
  expectIssues(t, pod({}, {}, { labels: { app: 'x'.repeat(64) } }), ['metadata.labels[app]: must be no more than 63 characters (got 64)'])
  expectIssues(t, pod({}, {}, { labels: { '-bad': 'x' } }), [
    'metadata.labels[-bad]: key "-bad" name part must consist of letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
  ])
  expectIssues(t, pod({}, {}, { annotations: { 'Example.COM/x': 'y' } }), [
    'metadata.annotations[Example.COM/x]: key "Example.COM/x" prefix part must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
  ])
  t.same(issues(pod({}, {}, { annotations: { note: 'x'.repeat(1000) } })), [], 'annotation values have no 63-character limit')
  expectIssues(t, pod({}, {}, { annotations: { big: 'x'.repeat(256 * 1024) } }), ['metadata.annotations: must total no more than 262144 bytes (got 262147)'])
  expectIssues(t, deployment({}, {}, { annotations: { 'podmesh.io/placement': 'random' } }), [
    'metadata.annotations[podmesh.io/placement]: must be one of spread, binpack (got "random")',
  ])
  expectIssues(t, pod({}, { name: 'App' }), [`${C}.name: must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit`])
  expectIssues(t, pod({}, { ports: [{ name: 'http--x', containerPort: 80 }] }), [`${C}.ports[0].name: must not contain consecutive hyphens`])
  expectIssues(t, pod({}, { env: [{ name: '1X', value: 'y' }] }), [`${C}.env[0].name: must consist of letters, digits, "_", "-" or ".", and must not start with a digit`])
  expectIssues(t, pod({}, {}, { resourceVersion: 'abc' }), ['metadata.resourceVersion: must be a positive integer, as served (got "abc")'])
})

t.test('uniqueness and references inside a pod', async (t) => {
  expectIssues(t, pod({ containers: [{ name: 'app', image: 'a:1' }, { name: 'app', image: 'b:1' }] }), ['spec.containers[1].name: duplicate "app"'])
  expectIssues(t, pod({}, { ports: [{ name: 'http', containerPort: 80 }, { name: 'http', containerPort: 81 }] }), [`${C}.ports[1].name: duplicate "http"`])
  expectIssues(t, pod({}, { volumeMounts: [{ name: 'data', mountPath: '/data' }] }), [`${C}.volumeMounts[0].name: no volume named "data" in spec.volumes`])
  expectIssues(t, pod({ volumes: [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }] }), ['spec.volumes[1].name: duplicate "v"'])
  expectIssues(
    t,
    pod({ volumes: [{ name: 'v', emptyDir: {} }] }, { volumeMounts: [{ name: 'v', mountPath: '/a' }, { name: 'v', mountPath: '/a' }] }),
    [`${C}.volumeMounts[1].mountPath: duplicate "/a"`],
  )
  expectIssues(t, pod({ containers: [{ name: 'a', image: 'a:1', ports: [{ containerPort: 80, hostPort: 8080 }] }, { name: 'b', image: 'b:1', ports: [{ containerPort: 81, hostPort: 8080 }] }] }), [
    'spec.containers[1].ports[0].hostPort: duplicate host port 8080/TCP in this pod',
  ])
  expectIssues(t, pod({}, { readinessProbe: { httpGet: { port: 'web' } } }), [`${C}.readinessProbe.httpGet.port: no port of this container is named "web"`])
})

t.test('volumes have exactly one source', async (t) => {
  expectIssues(t, pod({ volumes: [{ name: 'v' }] }), ['spec.volumes[0]: must specify a volume source: one of emptyDir, hostPath, configMap, secret'])
  expectIssues(t, pod({ volumes: [{ name: 'v', emptyDir: {}, hostPath: { path: '/x' } }] }), ['spec.volumes[0].hostPath: may not be set together with emptyDir: a volume has one source'])
  expectIssues(t, pod({ volumes: [{ name: 'v', hostPath: { path: 'relative' } }] }), ['spec.volumes[0].hostPath.path: must be an absolute path'])
  expectIssues(t, pod({ volumes: [{ name: 'v', emptyDir: { medium: 'HugePages' } }] }), ['spec.volumes[0].emptyDir.medium: must be one of Memory (got "HugePages")'])
  expectIssues(t, pod({ volumes: [{ name: 'v', configMap: { name: 'c', items: [{ key: 'k', path: '../etc/passwd' }] } }] }), [
    'spec.volumes[0].configMap.items[0].path: must not contain ".."',
  ])
})

t.test('probes: one handler, liveness and startup succeed once', async (t) => {
  expectIssues(t, pod({}, { livenessProbe: { periodSeconds: 5 } }), [`${C}.livenessProbe: must specify a handler: httpGet, tcpSocket, exec`])
  expectIssues(t, pod({}, { livenessProbe: { httpGet: { port: 80 }, exec: { command: ['true'] } } }), [
    `${C}.livenessProbe.exec: may not be set together with httpGet: specify only one of httpGet, tcpSocket, exec`,
  ])
  expectIssues(t, pod({}, { livenessProbe: { tcpSocket: { port: 80 }, successThreshold: 2 } }), [`${C}.livenessProbe.successThreshold: must be 1 for a liveness probe`])
  expectIssues(t, pod({}, { startupProbe: { tcpSocket: { port: 80 }, successThreshold: 3 } }), [`${C}.startupProbe.successThreshold: must be 1 for a startup probe`])
  t.same(issues(pod({}, { readinessProbe: { tcpSocket: { port: 80 }, successThreshold: 3 } })), [], 'readiness may ask for several successes')
  expectIssues(t, pod({}, { livenessProbe: { exec: {} } }), [`${C}.livenessProbe.exec.command: is required`])
  expectIssues(t, pod({}, { livenessProbe: { tcpSocket: { port: 0 } } }), [`${C}.livenessProbe.tcpSocket.port: must be 1-65535`])
})

t.test('resources: valid quantities, requests within limits', async (t) => {
  expectIssues(t, pod({}, { resources: { requests: { cpu: '1' }, limits: { cpu: '500m' } } }), [`${C}.resources.requests.cpu: must be less than or equal to cpu limit of 500m`])
  expectIssues(t, pod({}, { resources: { requests: { memory: '1Gi' }, limits: { memory: '1G' } } }), [`${C}.resources.requests.memory: must be less than or equal to memory limit of 1G`])
  expectIssues(t, pod({}, { resources: { limits: { memory: '12XB' } } }), [
    `${C}.resources.limits.memory: quantity "12XB" has an unknown suffix "XB" (use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or e<n>)`,
  ])
  expectIssues(t, pod({}, { resources: { requests: { cpu: '-1' } } }), [`${C}.resources.requests.cpu: quantity "-1" must not be negative`])
})

t.test('env and envFrom', async (t) => {
  expectIssues(t, pod({}, { env: [{ name: 'A', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }), [`${C}.env[0].valueFrom: may not be set together with value`])
  expectIssues(t, pod({}, { env: [{ name: 'A', value: 8080 }] }), [`${C}.env[0].value: must be a string (got number 8080)`])
  expectIssues(t, pod({}, { env: [{ name: 'A', valueFrom: {} }] }), [`${C}.env[0].valueFrom: must specify one of secretKeyRef, configMapKeyRef`])
  expectIssues(t, pod({}, { env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'a b' } } }] }), [`${C}.env[0].valueFrom.secretKeyRef.key: must consist of letters, digits, "-", "_" or "."`])
  expectIssues(t, pod({}, { envFrom: [{ configMapRef: { name: 'c' }, secretRef: { name: 's' } }] }), [
    `${C}.envFrom[0].secretRef: may not be set together with configMapRef: specify only one of configMapRef, secretRef`,
  ])
})

t.test('affinity and tolerations', async (t) => {
  const aff = (nodeAffinity: Obj): Obj => pod({ affinity: { nodeAffinity } })
  expectIssues(t, aff({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } }), [
    'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: is required',
  ])
  expectIssues(t, aff({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' }] }] } }), [
    'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: must have at least one value for operator In',
  ])
  expectIssues(t, aff({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'cpu', operator: 'Gt', values: ['many'] }] }] } }), [
    'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: must be a single integer for operator Gt',
  ])
  expectIssues(t, aff({ preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: { matchExpressions: [{ key: 'a', operator: 'Exists' }] } }] }), [
    'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: must be 1-100',
  ])
  expectIssues(t, pod({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'x' } } }] } } }), [
    'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: is required',
  ])
  expectIssues(t, pod({ tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }), ['spec.tolerations[0].value: must be empty when operator is Exists'])
  expectIssues(t, pod({ tolerations: [{ key: 'k', value: 'v', effect: 'NoSchedule', tolerationSeconds: 5 }] }), ['spec.tolerations[0].tolerationSeconds: may only be set when effect is NoExecute'])
  expectIssues(t, pod({ tolerations: [{ value: 'v' }] }), ['spec.tolerations[0].operator: must be Exists when key is empty'])
  expectIssues(t, pod({ tolerations: [{ operator: 'Exists', effect: 'NoWay' }] }), ['spec.tolerations[0].effect: must be one of NoSchedule, PreferNoSchedule, NoExecute (got "NoWay")'])
})

t.test('Deployment rules', async (t) => {
  expectIssues(t, deployment({}, { restartPolicy: 'Never' }), [`${T}.restartPolicy: must be Always in a Deployment (got "Never")`])
  expectIssues(t, deployment({}, { nodeName: 'node-1' }), [`${T}.nodeName: not supported in a Deployment template (Pod only)`])
  expectIssues(t, deployment({ selector: { matchLabels: { app: 'api' } } }), ['spec.template.metadata.labels: must match spec.selector (selector does not match template labels)'])
  expectIssues(t, deployment({ selector: {} }), ['spec.selector: must not be empty'])
  expectIssues(t, deployment({ strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } }), ['spec.strategy.rollingUpdate.maxUnavailable: may not be 0 when maxSurge is 0'])
  expectIssues(t, deployment({ strategy: { rollingUpdate: { maxUnavailable: '150%' } } }), ['spec.strategy.rollingUpdate.maxUnavailable: must not be more than 100%'])
  expectIssues(t, deployment({ strategy: { rollingUpdate: { maxSurge: 'half' } } }), ['spec.strategy.rollingUpdate.maxSurge: must be an integer or a percentage like "25%"'])
  expectIssues(t, deployment({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }), ['spec.strategy.rollingUpdate: may not be set when type is Recreate'])
  expectIssues(t, deployment({ minReadySeconds: 600 }), ['spec.progressDeadlineSeconds: must be greater than minReadySeconds (600)'])
  expectIssues(t, deployment({ template: { metadata: { name: 'x', labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'a:1' }] } } }), [
    'spec.template.metadata.name: must not be set in a pod template (podmesh names the pods)',
  ])
})

t.test('Service rules', async (t) => {
  expectIssues(t, service({ ports: [{ port: 80 }, { port: 443 }] }), ['spec.ports[0].name: is required when the service has more than one port', 'spec.ports[1].name: is required when the service has more than one port'])
  expectIssues(t, service({ ports: [{ name: 'a', port: 80 }, { name: 'a', port: 80 }] }), ['spec.ports[1].name: duplicate "a"', 'spec.ports[1].port: duplicate "80"'])
  expectIssues(t, service({ ports: [{ port: 80, nodePort: 30080 }] }), ['spec.ports[0].nodePort: may only be set when type is NodePort'])
  expectIssues(t, service({ type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }), ['spec.ports[0].nodePort: must be 30000-32767'])
  expectIssues(t, service({ ports: [{ port: 80, targetPort: 'Web' }] }), ['spec.ports[0].targetPort: must contain only lowercase letters, digits and "-"'])
})

t.test('Secret, ConfigMap and Node rules', async (t) => {
  const secret = (extra: Obj): Obj => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, ...extra })
  expectIssues(t, secret({ data: { password: 'not base64!' } }), ['data[password]: must be base64 (standard alphabet, with padding)'])
  expectIssues(t, secret({ data: { password: 'YWRtaW4' } }), ['data[password]: must be base64 (standard alphabet, with padding)'])
  expectIssues(t, secret({ stringData: { 'a b': 'x' } }), ['stringData[a b]: key "a b" must consist of letters, digits, "-", "_" or "."'])
  expectIssues(t, secret({ type: 'kubernetes.io/service-account-token' }), ['type: service account tokens are not supported by podmesh'])
  expectIssues(t, secret({ spec: {} }), ['spec: unknown field "spec" (podmesh does not support it)'])
  const cm = (extra: Obj): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, ...extra })
  expectIssues(t, cm({ data: { lives: 3 } }), ['data[lives]: must be a string (got number 3)'])
  expectIssues(t, cm({ data: { k: 'a' }, binaryData: { k: 'YQ==' } }), ['binaryData[k]: duplicate of a key in data'])
  t.strictSame(issues(cm({ data: { big: 'x'.repeat(1024 * 1024) } })), [`${DOC}: data must total no more than 1048576 bytes (got 1048579)`])
  const node = (extra: Obj, meta: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', ...meta }, ...extra })
  expectIssues(t, node({}, { namespace: 'default' }), ['metadata.namespace: must not be set: Node is cluster-scoped'])
  expectIssues(t, node({ spec: { taints: [{ key: 'k', effect: 'Sometimes' }] } }), ['spec.taints[0].effect: must be one of NoSchedule, PreferNoSchedule, NoExecute (got "Sometimes")'])
  expectIssues(t, node({ spec: { podCIDR: '10.0.0.0/24' } }), ['spec.podCIDR: unknown field "podCIDR" (podmesh does not support it)'])
  expectIssues(t, node({ status: 'ready' }), ['status: must be an object (got "ready")'])
})

t.test('every issue of a document is reported, not just the first', async (t) => {
  const bad = deployment(
    { replicas: -2, foo: true },
    { containers: [{ name: 'App', ports: [{ containerPort: 0 }], livenessProbe: {} }], restartPolicy: 'OnFailure' },
    { name: 'Web', labels: { 'a/b/c': 'x' } },
  )
  expectIssues(t, bad, [
    'metadata.name: must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
    'metadata.labels[a/b/c]: key "a/b/c" must be a qualified name: an optional DNS subdomain prefix and "/", then a name',
    'spec.foo: unknown field "foo" (podmesh does not support it)',
    'spec.replicas: must be >= 0',
    `${T}.containers[0].name: must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit`,
    `${T}.containers[0].image: is required`,
    `${T}.containers[0].ports[0].containerPort: must be 1-65535`,
    `${T}.containers[0].livenessProbe: must specify a handler: httpGet, tcpSocket, exec`,
    `${T}.restartPolicy: must be Always in a Deployment (got "OnFailure")`,
  ])
})

t.test('a ConfigMap key named __proto__ is kept as data', async (t) => {
  const r = validateDocument({ source: DOC, value: JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"__proto__":"x","b":"y"}}') })
  t.ok(r.ok)
  if (r.ok) t.same(Object.keys((r.object.object as { data: object }).data), ['__proto__', 'b'])
})
