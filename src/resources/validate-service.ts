// v1 Service: ClusterIP or NodePort, TCP ports, a selector.
import type { Checker } from './issues.js'
import { at, idx } from './issues.js'
import { dns1123Label, labelValue, qualifiedName } from './names.js'
import { array, int, isAbsent, listFailed, object, oneOf, required, str, stringMap, unique, withDefault } from './rules.js'
import type { ServicePort, ServiceSpec } from './types-kinds.js'
import { portRef } from './validate-container.js'

/** The Kubernetes default node port range (--service-node-port-range). */
export const NODE_PORT_MIN = 30000
export const NODE_PORT_MAX = 32767

const servicePort = object<ServicePort>(
  {
    name: str(dns1123Label),
    protocol: withDefault(oneOf(['TCP'], { UDP: 'UDP services are not supported by podmesh (TCP only)', SCTP: 'SCTP is not supported by podmesh (TCP only)' }), 'TCP'),
    port: required(int(1, 65535)),
    targetPort: portRef,
    nodePort: (v, p, c) => (v === 0 ? undefined : int(NODE_PORT_MIN, NODE_PORT_MAX)(v, p, c)),
  },
  {
    check: (out) => {
      out.targetPort ??= out.port
    },
  },
)

function checkPorts(out: Partial<ServiceSpec>, raw: Record<string, unknown>, p: string, c: Checker): void {
  if (listFailed(raw.ports, out.ports)) return
  const ports = out.ports ?? []
  const pp = at(p, 'ports')
  if (ports.length > 1) ports.forEach((port, i) => port.name === undefined && c.add(at(idx(pp, i), 'name'), 'is required when the service has more than one port'))
  unique(ports, (x) => x.name, pp, 'name', c)
  unique(ports, (x) => String(x.port), pp, 'port', c)
  unique(ports, (x) => (x.nodePort === undefined ? undefined : String(x.nodePort)), pp, 'nodePort', c)
  if (out.type !== 'NodePort') ports.forEach((port, i) => port.nodePort !== undefined && c.add(at(idx(pp, i), 'nodePort'), `may only be set when type is NodePort`))
}

export const serviceSpec = object<ServiceSpec>(
  {
    type: withDefault(
      oneOf(['ClusterIP', 'NodePort'], {
        LoadBalancer: 'LoadBalancer is not supported by podmesh (ClusterIP or NodePort)',
        ExternalName: 'ExternalName is not supported by podmesh (ClusterIP or NodePort)',
      }),
      'ClusterIP',
    ),
    selector: stringMap(qualifiedName, labelValue),
    ports: required(array(servicePort)),
    sessionAffinity: withDefault(oneOf(['None'], { ClientIP: 'ClientIP session affinity is not supported by podmesh (None only)' }), 'None'),
  },
  {
    unsupported: {
      clusterIP: 'clusterIP is not supported by podmesh (it assigns service addresses itself)',
      externalTrafficPolicy: 'externalTrafficPolicy is not supported by podmesh',
    },
    check: (out, p, c, raw) => {
      if (!isAbsent(raw.ports)) checkPorts(out as Partial<ServiceSpec>, raw, p, c)
    },
  },
)
