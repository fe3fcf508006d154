// A container: image, command, env, ports, resources, probes, volume mounts.
import { QuantityError } from './errors.js'
import type { Checker } from './issues.js'
import { at } from './issues.js'
import { absolutePath, configKey, dns1123Label, envVarName, ipAddress, portName, relativePath } from './names.js'
import { parseCpu, parseMemory } from './quantity.js'
import type { Rule } from './rules.js'
import { array, bool, describe, int, intOrString, isAbsent, listFailed, object, oneOf, required, str, unique, withDefault } from './rules.js'
import type { IntOrString, ResourceList } from './types-meta.js'
import type {
  Container,
  ContainerPort,
  EnvFromSource,
  EnvVar,
  ExecAction,
  HTTPGetAction,
  HTTPHeader,
  KeySelector,
  Probe,
  PullPolicy,
  ResourceRequirements,
  SourceRef,
  TCPSocketAction,
  VolumeMount,
} from './types-pod.js'

const PORT = int(1, 65535)
/** A port number, or the name of one of the container's ports. */
export const portRef = intOrString(PORT, portName)
/** 0 means "not set" for these fields in Kubernetes. */
const optionalPort: Rule<number> = (v, p, c) => (v === 0 ? undefined : PORT(v, p, c))

const HEADER_NAME = /^[-A-Za-z0-9!#$%&'*+.^_`|~]+$/
const anyString = str(undefined, true)

/** A quantity kept as written; numbers (YAML `cpu: 2`) become their decimal text. */
function quantity(parse: (q: string | number) => number): Rule<string> {
  return (v, p, c) => {
    if (isAbsent(v)) return undefined
    if (typeof v !== 'string' && typeof v !== 'number') return void c.add(p, `must be a quantity (got ${describe(v)})`)
    try {
      parse(v)
    } catch (err) {
      if (err instanceof QuantityError) return void c.add(p, err.message)
      throw err
    }
    return String(v)
  }
}

const resourceList = object<ResourceList>({ cpu: quantity(parseCpu), memory: quantity(parseMemory) })

const RESOURCES: readonly { key: 'cpu' | 'memory'; parse: (q: string) => number }[] = [
  { key: 'cpu', parse: parseCpu },
  { key: 'memory', parse: parseMemory },
]

/** Requests default to the limits, per resource (as in Kubernetes); a request may not exceed its limit. */
function checkResources(out: { requests?: unknown; limits?: unknown }, p: string, c: Checker): void {
  const limits = out.limits as ResourceList | undefined
  const given = (out.requests ?? {}) as ResourceList
  if (limits === undefined) return
  const requests: Record<string, string> = {}
  for (const { key, parse } of RESOURCES) {
    const req = given[key] ?? limits[key]
    if (req === undefined) continue
    requests[key] = req
    const limit = limits[key]
    if (limit !== undefined && parse(req) > parse(limit)) c.add(at(at(p, 'requests'), key), `must be less than or equal to ${key} limit of ${limit}`)
  }
  out.requests = Object.keys(requests).length === 0 ? undefined : requests
}

const resources = object<ResourceRequirements>(
  { requests: resourceList, limits: resourceList },
  { check: (out, p, c) => checkResources(out, p, c) },
)

const keySelector = object<KeySelector>({ name: required(str()), key: required(str(configKey)), optional: bool() })

const envVar = object<EnvVar>(
  {
    name: required(str(envVarName)),
    value: str(),
    valueFrom: object<NonNullable<EnvVar['valueFrom']>>(
      { secretKeyRef: keySelector, configMapKeyRef: keySelector },
      {
        unsupported: {
          fieldRef: 'fieldRef is not supported by podmesh (use secretKeyRef or configMapKeyRef)',
          resourceFieldRef: 'resourceFieldRef is not supported by podmesh (use secretKeyRef or configMapKeyRef)',
        },
        check: (_out, p, c, raw) => {
          // An unsupported source is reported as such, not as "no source".
          if (isAbsent(raw.fieldRef) && isAbsent(raw.resourceFieldRef)) exactlyOne(raw, ['secretKeyRef', 'configMapKeyRef'], p, c)
        },
      },
    ),
  },
  {
    check: (out, p, c) => {
      if (out.value !== undefined && out.valueFrom !== undefined) c.add(at(p, 'valueFrom'), 'may not be set together with value')
    },
  },
)

const sourceRef = object<SourceRef>({ name: required(str()), optional: bool() })

const envFrom = object<EnvFromSource>(
  { prefix: str(envVarName), configMapRef: sourceRef, secretRef: sourceRef },
  { check: (_out, p, c, raw) => exactlyOne(raw, ['configMapRef', 'secretRef'], p, c) },
)

/** Exactly one of the given fields is set; reports none or the second one. */
export function exactlyOne(raw: Record<string, unknown>, fields: readonly string[], p: string, c: Checker, what = 'one of'): void {
  const set = fields.filter((f) => !isAbsent(raw[f]))
  if (set.length === 0) c.add(p, `must specify ${what} ${fields.join(', ')}`)
  for (const extra of set.slice(1)) c.add(at(p, extra), `may not be set together with ${set[0]}: specify only one of ${fields.join(', ')}`)
}

const containerPort = object<ContainerPort>({
  name: str(portName),
  containerPort: required(PORT),
  hostPort: optionalPort,
  hostIP: str(ipAddress),
  protocol: withDefault(oneOf(['TCP', 'UDP'], { SCTP: 'SCTP is not supported by podmesh (TCP or UDP)' }), 'TCP'),
})

const httpGet = object<HTTPGetAction>({
  path: withDefault(str(), '/'),
  port: required(portRef),
  host: str(),
  scheme: withDefault(oneOf(['HTTP'], { HTTPS: 'HTTPS probes are not supported by podmesh (HTTP only)' }), 'HTTP'),
  httpHeaders: array(
    object<HTTPHeader>({
      name: required(str((s) => (HEADER_NAME.test(s) ? undefined : 'must be an HTTP header name'))),
      value: withDefault(anyString, ''),
    }),
  ),
})

const tcpSocket = object<TCPSocketAction>({ port: required(portRef), host: str() })
const exec = object<ExecAction>({ command: required(array(anyString)) })

const HANDLERS = ['httpGet', 'tcpSocket', 'exec']

function probe(which: 'liveness' | 'readiness' | 'startup'): Rule<Probe> {
  return object<Probe>(
    {
      httpGet,
      tcpSocket,
      exec,
      initialDelaySeconds: withDefault(int(0), 0),
      periodSeconds: withDefault(int(1), 10, true),
      timeoutSeconds: withDefault(int(1), 1, true),
      failureThreshold: withDefault(int(1), 3, true),
      successThreshold: withDefault(int(1), 1, true),
    },
    {
      unsupported: { grpc: 'grpc probes are not supported by podmesh (use httpGet, tcpSocket or exec)' },
      check: (out, p, c, raw) => {
        if (isAbsent(raw.grpc)) exactlyOne(raw, HANDLERS, p, c, 'a handler:')
        if (which !== 'readiness' && out.successThreshold !== undefined && out.successThreshold !== 1)
          c.add(at(p, 'successThreshold'), `must be 1 for a ${which} probe`)
      },
    },
  )
}

const volumeMount = object<VolumeMount>({
  name: required(str()),
  mountPath: required(str(absolutePath)),
  readOnly: withDefault(bool(), false),
  subPath: str(relativePath),
})

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const

/** Named probe ports must name one of the container's ports. */
function checkProbePorts(out: Partial<Container>, raw: Record<string, unknown>, p: string, c: Checker): void {
  if (listFailed(raw.ports, out.ports)) return
  const names = new Set((out.ports ?? []).map((port) => port.name))
  for (const name of PROBES) {
    const pr = out[name]
    const [handler, port]: [string, IntOrString | undefined] =
      pr?.httpGet !== undefined ? ['httpGet', pr.httpGet.port] : ['tcpSocket', pr?.tcpSocket?.port]
    if (typeof port === 'string' && !names.has(port)) c.add(at(at(at(p, name), handler), 'port'), `no port of this container is named ${JSON.stringify(port)}`)
  }
}

/** Kubernetes' rule: `latest` or no tag pulls Always, anything else IfNotPresent. */
export function defaultPullPolicy(image: string): PullPolicy {
  if (image.includes('@')) return 'IfNotPresent'
  const lastSegment = image.slice(image.lastIndexOf('/') + 1)
  const colon = lastSegment.lastIndexOf(':')
  const tag = colon < 0 ? undefined : lastSegment.slice(colon + 1)
  return tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent'
}

const imageRef = (s: string): string | undefined => (/\s/.test(s) || s !== s.trim() ? 'must not contain whitespace' : undefined)

export const container = object<Container>(
  {
    name: required(str(dns1123Label)),
    image: required(str(imageRef)),
    imagePullPolicy: oneOf(['Always', 'IfNotPresent', 'Never']),
    command: array(anyString),
    args: array(anyString),
    workingDir: str(absolutePath),
    env: array(envVar),
    envFrom: array(envFrom),
    ports: array(containerPort),
    resources,
    livenessProbe: probe('liveness'),
    readinessProbe: probe('readiness'),
    startupProbe: probe('startup'),
    volumeMounts: array(volumeMount),
  },
  {
    check: (out, p, c, raw) => {
      if (out.image !== undefined) out.imagePullPolicy ??= defaultPullPolicy(out.image as string)
      const o = out as Partial<Container>
      unique(o.ports, (x) => x.name, at(p, 'ports'), 'name', c)
      unique(o.volumeMounts, (x) => x.mountPath, at(p, 'volumeMounts'), 'mountPath', c)
      checkProbePorts(o, raw, p, c)
    },
  },
)


