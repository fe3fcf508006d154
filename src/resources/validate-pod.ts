// The pod spec, for a Pod and for a Deployment's template.
import type { Checker } from './issues.js'
import { at, idx } from './issues.js'
import { absolutePath, configKey, dns1123Label, dns1123Subdomain, labelValue, qualifiedName, relativePath } from './names.js'
import { parseMemory } from './quantity.js'
import type { Rule } from './rules.js'
import { array, bool, int, isAbsent, listFailed, object, oneOf, required, str, stringMap, unique, withDefault } from './rules.js'
import { container } from './validate-container.js'
import { affinity, toleration } from './validate-affinity.js'
import { QuantityError } from './errors.js'
import type { Container, KeyToPath, PodSpec, Volume } from './types-pod.js'

const keyToPath = object<KeyToPath>({ key: required(str(configKey)), path: required(str(relativePath)) })

const sizeLimit: Rule<string> = (v, p, c) => {
  if (typeof v !== 'string' && typeof v !== 'number') return str()(v, p, c)
  try {
    parseMemory(v)
    return String(v)
  } catch (err) {
    if (!(err instanceof QuantityError)) throw err
    return void c.add(p, err.message)
  }
}

const SOURCES = ['emptyDir', 'hostPath', 'configMap', 'secret']

const volume = object<Volume>(
  {
    name: required(str(dns1123Label)),
    emptyDir: object({ medium: oneOf(['Memory']), sizeLimit }),
    hostPath: object({
      path: required(str(absolutePath)),
      type: oneOf(['DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice']),
    }),
    configMap: object({ name: required(str(dns1123Subdomain)), items: array(keyToPath), optional: bool() }),
    secret: object({ secretName: required(str(dns1123Subdomain)), items: array(keyToPath), optional: bool() }),
  },
  {
    check: (_out, p, c, raw) => {
      const set = SOURCES.filter((s) => !isAbsent(raw[s]))
      if (set.length === 0 && !Object.keys(raw).some((k) => k !== 'name')) c.add(p, `must specify a volume source: one of ${SOURCES.join(', ')}`)
      for (const extra of set.slice(1)) c.add(at(p, extra), `may not be set together with ${set[0]}: a volume has one source`)
    },
  },
)

/** Which flavour of pod spec: a Pod's own, or a Deployment's template (no nodeName, restartPolicy Always). */
export type PodSpecFor = 'Pod' | 'Deployment'

function restartPolicy(forKind: PodSpecFor): Rule<PodSpec['restartPolicy']> {
  if (forKind === 'Pod') return withDefault(oneOf(['Always', 'OnFailure', 'Never']), 'Always')
  const always = oneOf(['Always'], {
    OnFailure: 'must be Always in a Deployment (got "OnFailure")',
    Never: 'must be Always in a Deployment (got "Never")',
  })
  return withDefault(always, 'Always')
}

const nodeNameInTemplate: Rule<string> = (v, p, c) => {
  if (v !== undefined && v !== null && v !== '') c.add(p, 'not supported in a Deployment template (Pod only)')
  return undefined
}

/** Mounts name declared volumes; host ports do not repeat across the pod's containers. */
function checkPod(out: Partial<PodSpec>, raw: Record<string, unknown>, p: string, c: Checker): void {
  const containers = out.containers as readonly Container[] | undefined
  unique(containers, (x) => x.name, at(p, 'containers'), 'name', c)
  unique(out.volumes, (x) => x.name, at(p, 'volumes'), 'name', c)
  const volumes = new Set((out.volumes ?? []).map((v) => v.name))
  const hostPorts = new Set<string>()
  containers?.forEach((ctr, i) => {
    const cp = idx(at(p, 'containers'), i)
    if (!listFailed(raw.volumes, out.volumes)) {
      ctr.volumeMounts?.forEach((m, j) => {
        if (!volumes.has(m.name)) c.add(at(idx(at(cp, 'volumeMounts'), j), 'name'), `no volume named ${JSON.stringify(m.name)} in spec.volumes`)
      })
    }
    ctr.ports?.forEach((port, j) => {
      if (port.hostPort === undefined) return
      const key = `${port.hostPort}/${port.protocol}`
      if (hostPorts.has(key)) c.add(at(idx(at(cp, 'ports'), j), 'hostPort'), `duplicate host port ${key} in this pod`)
      hostPorts.add(key)
    })
  })
}

const UNSUPPORTED_POD: Readonly<Record<string, string>> = {
  initContainers: 'initContainers are not supported by podmesh',
  hostNetwork: 'hostNetwork is not supported by podmesh (use hostPort)',
}

export function podSpec(forKind: PodSpecFor): Rule<PodSpec> {
  return object<PodSpec>(
    {
      containers: required(array(container)),
      volumes: array(volume),
      restartPolicy: restartPolicy(forKind),
      terminationGracePeriodSeconds: withDefault(int(0), 30),
      nodeSelector: stringMap(qualifiedName, labelValue),
      nodeName: forKind === 'Pod' ? str(dns1123Subdomain) : nodeNameInTemplate,
      hostname: str(dns1123Label),
      affinity,
      tolerations: array(toleration),
    },
    { unsupported: UNSUPPORTED_POD, check: (out, p, c, raw) => checkPod(out as Partial<PodSpec>, raw, p, c) },
  )
}
