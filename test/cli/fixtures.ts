// Objects as the API serves them, for the CLI's formatting tests. NOW is the time the tests "run" at.
export const NOW = Date.parse('2026-03-01T12:00:00Z')
export const ago = (ms: number) => new Date(NOW - ms).toISOString()
const S = 1000
const M = 60 * S
const H = 60 * M
const D = 24 * H

const metadata = (name: string, created: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: 'default',
  uid: `uid-${name}`,
  resourceVersion: '42',
  generation: 1,
  creationTimestamp: created,
  ...extra,
})

export const pendingPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: metadata('web-1', ago(5 * S), { labels: { app: 'web' } }),
  spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
  status: {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes available: 2 insufficient memory, 1 node(s) were cordoned' }],
  },
}

/** A pod the resource model has just stored: no status at all yet. */
export const barePod = { apiVersion: 'v1', kind: 'Pod', metadata: metadata('bare', ago(3 * M)), spec: { containers: [{ name: 'a', image: 'busybox' }] } }

export const runningPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: metadata('web-2', ago(2 * H + 5 * M), { namespace: 'shop', labels: { app: 'web', tier: 'front' }, ownerReferences: [{ kind: 'Deployment', name: 'web' }] }),
  spec: {
    nodeName: 'n2',
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443, hostPort: 8443 }],
        env: [
          { name: 'MODE', value: 'prod' },
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
          { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'color' } } },
        ],
        livenessProbe: { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 5 },
        readinessProbe: { tcpSocket: { port: 80 } },
        resources: { requests: { cpu: '100m', memory: '64Mi' } },
        volumeMounts: [{ name: 'config', mountPath: '/etc/web', readOnly: true }],
      },
      { name: 'sidecar', image: 'envoy:1' },
    ],
    volumes: [{ name: 'config', configMap: { name: 'cfg' } }, { name: 'scratch', emptyDir: {} }],
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
  },
  status: {
    phase: 'Running',
    podIP: '10.0.0.7',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [
      { name: 'web', ready: true, restartCount: 2, state: { running: { startedAt: ago(H) } } },
      { name: 'sidecar', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container sidecar' } }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } },
    ],
  },
}

export const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: metadata('web', ago(4 * D + 3 * H), { labels: { app: 'web' } }),
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
  },
  status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2, unavailableReplicas: 1 },
}

/** Just applied: no status yet, replicas left to the default. */
export const newDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: metadata('api', ago(10 * S)),
  spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:2' }] } } },
}

export const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: metadata('web', ago(90 * S)),
  spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }, { port: 53, protocol: 'UDP' }] },
  status: { endpoints: [{ ip: '10.0.0.7', port: 8080 }] },
}

export const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata('cfg', ago(3 * M)), data: { color: 'blue', 'app.conf': 'a=1\nb=2' } }

export const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: metadata('db', ago(40 * D)),
  type: 'Opaque',
  data: { password: Buffer.from('hunter22').toString('base64'), user: Buffer.from('admin').toString('base64') },
}

export const redactedSecret = { ...secret, data: { password: '<redacted>', user: '<redacted>' } }

export const node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { ...metadata('n1', ago(3 * H)), namespace: '', labels: { 'node-role.kubernetes.io/control-plane': '', zone: 'a' } },
  spec: { unschedulable: true, taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }] },
  status: {
    capacity: { cpu: '4', memory: '8Gi', pods: '110' },
    allocatable: { cpu: '3800m', memory: '7Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'AgentReady', message: 'agent is posting status' }],
    addresses: [{ type: 'InternalIP', address: '192.168.1.10' }],
    nodeInfo: { agentVersion: '0.1.0', osImage: 'Debian 12', containerRuntimeVersion: 'docker://27.0' },
  },
}
