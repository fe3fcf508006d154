// Containers as `describe` shows them, in a Pod or a Deployment's template: image, ports, probes,
// resources, env (secret and config map references shown as references, never resolved).
import type { DescribeWriter } from './cli-describe-writer.js'
import { arr, at, num, rec, str, type Json } from './cli-object.js'

export function portString(p: Json): string {
  return `${str(p.containerPort) ?? '?'}/${str(p.protocol) ?? 'TCP'}${p.name ? ` (${str(p.name)})` : ''}`
}

/** `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`, like kubectl. */
export function probeString(probe: unknown): string | undefined {
  if (probe === undefined || probe === null) return undefined
  const p = rec(probe)
  const http = rec(p.httpGet)
  const action =
    p.httpGet !== undefined
      ? `http-get ${(str(http.scheme) ?? 'HTTP').toLowerCase()}://${str(http.host) ?? ''}:${str(http.port) ?? '?'}${str(http.path) ?? '/'}`
      : p.tcpSocket !== undefined
        ? `tcp-socket :${str(at(p, 'tcpSocket', 'port')) ?? '?'}`
        : p.exec !== undefined
          ? `exec [${(Array.isArray(at(p, 'exec', 'command')) ? (at(p, 'exec', 'command') as unknown[]) : []).map(String).join(' ')}]`
          : 'unknown'
  const n = (k: string, d: number) => num(p[k]) ?? d
  return `${action} delay=${n('initialDelaySeconds', 0)}s timeout=${n('timeoutSeconds', 1)}s period=${n('periodSeconds', 10)}s #success=${n('successThreshold', 1)} #failure=${n('failureThreshold', 3)}`
}

/** One env var's value: the literal, or where it comes from. */
export function envValue(e: Json): string {
  if (e.value !== undefined) return str(e.value) ?? JSON.stringify(e.value)
  const from = rec(e.valueFrom)
  const secret = rec(from.secretKeyRef)
  if (from.secretKeyRef) return `<set to the key '${str(secret.key) ?? '?'}' in secret '${str(secret.name) ?? '?'}'>`
  const cm = rec(from.configMapKeyRef)
  if (from.configMapKeyRef) return `<set to the key '${str(cm.key) ?? '?'}' of config map '${str(cm.name) ?? '?'}'>`
  if (from.fieldRef) return `(${str(at(from, 'fieldRef', 'apiVersion')) ?? 'v1'}:${str(at(from, 'fieldRef', 'fieldPath')) ?? '?'})`
  return ''
}

function resourceLines(w: DescribeWriter, label: string, r: unknown, indent: number): void {
  const entries = Object.entries(rec(r))
  if (entries.length === 0) return
  w.heading(label, indent)
  for (const [k, v] of entries) w.field(k, str(v), indent + 1)
}

function envLines(w: DescribeWriter, c: Json, indent: number): void {
  const env = arr(c.env)
  const envFrom = arr(c.envFrom)
  if (env.length === 0 && envFrom.length === 0) return void w.field('Environment', undefined, indent)
  if (envFrom.length) {
    w.heading('Environment Variables from', indent)
    for (const f of envFrom) {
      const src = f.secretRef ? `secret '${str(at(f, 'secretRef', 'name')) ?? '?'}'` : `config map '${str(at(f, 'configMapRef', 'name')) ?? '?'}'`
      w.text(`${src}${f.prefix ? ` (prefix ${str(f.prefix)})` : ''}`, indent + 1)
    }
  }
  if (env.length) {
    w.heading('Environment', indent)
    for (const e of env) w.field(str(e.name) ?? '?', envValue(e), indent + 1)
  }
}

/** A container's state from its status: `Running`, `Waiting (CrashLoopBackOff)`, `Terminated (Error, exit code 1)`. */
export function containerState(state: unknown): string {
  const s = rec(state)
  if (s.running !== undefined) return `Running${str(at(s, 'running', 'startedAt')) ? ` since ${str(at(s, 'running', 'startedAt'))}` : ''}`
  if (s.waiting !== undefined) return `Waiting${str(at(s, 'waiting', 'reason')) ? ` (${str(at(s, 'waiting', 'reason'))})` : ''}`
  if (s.terminated !== undefined) {
    const t = rec(s.terminated)
    return `Terminated (${str(t.reason) ?? 'exited'}, exit code ${str(t.exitCode) ?? '?'})`
  }
  return '<unknown>'
}

/** Why a container waits or ended, as the runtime said it (podmesh keeps no events for describe to show). */
function stateMessage(state: unknown): string | undefined {
  const s = rec(state)
  return str(at(s, 'waiting', 'message')) ?? str(at(s, 'terminated', 'message'))
}

/** Every container of a pod spec; with `statuses` (a Pod's), its state, readiness and restart count too. */
export function describeContainers(w: DescribeWriter, spec: unknown, indent: number, statuses?: readonly Json[]): void {
  const containers = arr(at(spec, 'containers'))
  if (containers.length === 0) return void w.field('Containers', undefined, indent)
  w.heading('Containers', indent)
  for (const c of containers) {
    const name = str(c.name) ?? '?'
    const i = indent + 2
    w.heading(name, indent + 1)
    w.field('Image', str(c.image), i)
    const ports = arr(c.ports)
    w.field(ports.length > 1 ? 'Ports' : 'Port', ports.map(portString).join(', '), i)
    const hostPorts = ports.filter((p) => num(p.hostPort))
    if (hostPorts.length) w.field('Host Ports', hostPorts.map((p) => `${str(p.hostPort)}/${str(p.protocol) ?? 'TCP'}`).join(', '), i)
    if (Array.isArray(c.command)) w.field('Command', c.command.map(String).join(' '), i)
    if (Array.isArray(c.args)) w.field('Args', c.args.map(String).join(' '), i)
    const status = statuses?.find((s) => s.name === name)
    if (statuses) {
      w.field('State', status ? containerState(status.state) : 'Waiting (not started)', i)
      const why = stateMessage(status?.state)
      if (why) w.field('Message', why, i)
      if (status?.lastState && Object.keys(rec(status.lastState)).length) w.field('Last State', containerState(status.lastState), i)
      w.field('Ready', status?.ready === true ? 'True' : 'False', i)
      w.field('Restart Count', num(status?.restartCount) ?? 0, i)
    }
    resourceLines(w, 'Limits', at(c, 'resources', 'limits'), i)
    resourceLines(w, 'Requests', at(c, 'resources', 'requests'), i)
    for (const [label, key] of [['Liveness', 'livenessProbe'], ['Readiness', 'readinessProbe'], ['Startup', 'startupProbe']] as const) {
      const p = probeString(c[key])
      if (p) w.field(label, p, i)
    }
    const mounts = arr(c.volumeMounts).map((m) => `${str(m.mountPath) ?? '?'} from ${str(m.name) ?? '?'} (${m.readOnly === true ? 'ro' : 'rw'})`)
    w.field('Mounts', mounts.join('\n'), i)
    envLines(w, c, i)
  }
}

/** `config (ConfigMap cfg)`, `data (HostPath /srv)`: each volume and where it comes from. */
export function volumeString(v: Json): string {
  const src = v.configMap
    ? `ConfigMap ${str(at(v, 'configMap', 'name')) ?? '?'}`
    : v.secret
      ? `Secret ${str(at(v, 'secret', 'secretName')) ?? '?'}`
      : v.hostPath
        ? `HostPath ${str(at(v, 'hostPath', 'path')) ?? '?'}`
        : v.emptyDir
          ? 'EmptyDir'
          : 'unknown'
  return `${str(v.name) ?? '?'} (${src})`
}
