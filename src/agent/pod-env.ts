// What a runtime cannot look up itself: a pod's environment and its configMap/secret volume files,
// resolved from the ConfigMaps and Secrets in the cluster state. A missing optional source is skipped;
// a missing required one is skipped too and named in the result, so the agent can log it.
import type { PodSpec } from '../resources/index.js'
import type { RuntimePod } from '../runtime/types.js'
import type { Discovery } from '../services/service-env.js'
import { isSealed, type SecretBox } from '../state/secret-box.js'
import type { ObjectStore, StoredObject } from '../state/store.js'

type Data = Readonly<Record<string, Uint8Array>>

export interface ResolvedPod {
  readonly pod: RuntimePod
  /** Required references that could not be resolved (`secret default/db key password`). */
  readonly missing: readonly string[]
}

function configMapData(o: StoredObject): Data {
  const out: Record<string, Uint8Array> = {}
  for (const [k, v] of Object.entries((o.object.data ?? {}) as Record<string, string>)) out[k] = Buffer.from(v, 'utf8')
  for (const [k, v] of Object.entries((o.object.binaryData ?? {}) as Record<string, string>)) out[k] = Buffer.from(v, 'base64')
  return out
}

function secretData(o: StoredObject, secrets: SecretBox): Data {
  if (!isSealed(o.object.sealedData)) return {}
  const out: Record<string, Uint8Array> = {}
  for (const [k, v] of Object.entries(secrets.open(o, o.object.sealedData))) out[k] = Buffer.from(v, 'base64')
  return out
}

/** `discovery`: the pod's service variables and resolver (src/services/service-env.ts); the container's own env wins. */
export function resolvePod(pod: StoredObject, store: ObjectStore, secrets: SecretBox, discovery: Discovery = { vars: {} }): ResolvedPod {
  const missing: string[] = []
  const source = (kind: 'ConfigMap' | 'Secret', name: string): Data | undefined => {
    const o = store.get({ kind, namespace: pod.namespace, name })
    if (!o) return undefined
    try {
      return kind === 'ConfigMap' ? configMapData(o) : secretData(o, secrets)
    } catch {
      return undefined
    }
  }
  const spec = pod.object.spec as PodSpec
  const env: Record<string, Record<string, string>> = {}
  for (const c of spec.containers ?? []) {
    const vars: Record<string, string> = { ...discovery.vars }
    for (const from of c.envFrom ?? []) {
      const ref = from.configMapRef ?? from.secretRef
      const data = ref ? source(from.configMapRef ? 'ConfigMap' : 'Secret', ref.name) : undefined
      if (!data && ref && !ref.optional) missing.push(`${from.configMapRef ? 'configmap' : 'secret'} ${pod.namespace}/${ref.name}`)
      for (const [k, v] of Object.entries(data ?? {})) vars[(from.prefix ?? '') + k] = Buffer.from(v).toString('utf8')
    }
    for (const e of c.env ?? []) {
      if (e.value !== undefined) vars[e.name] = e.value
      const ref = e.valueFrom?.configMapKeyRef ?? e.valueFrom?.secretKeyRef
      if (!ref) continue
      const kind = e.valueFrom?.configMapKeyRef ? 'ConfigMap' : 'Secret'
      const v = source(kind, ref.name)?.[ref.key]
      if (v !== undefined) vars[e.name] = Buffer.from(v).toString('utf8')
      else if (!ref.optional) missing.push(`${kind.toLowerCase()} ${pod.namespace}/${ref.name} key ${ref.key}`)
    }
    env[c.name] = vars
  }
  const files: Record<string, Data> = {}
  for (const v of spec.volumes ?? []) {
    const ref = v.configMap ? { kind: 'ConfigMap' as const, name: v.configMap.name, items: v.configMap.items, optional: v.configMap.optional } : v.secret ? { kind: 'Secret' as const, name: v.secret.secretName, items: v.secret.items, optional: v.secret.optional } : undefined
    if (!ref) continue
    const data = source(ref.kind, ref.name)
    if (!data && !ref.optional) missing.push(`${ref.kind.toLowerCase()} ${pod.namespace}/${ref.name}`)
    const out: Record<string, Uint8Array> = {}
    if (ref.items) for (const it of ref.items) data?.[it.key] !== undefined && (out[it.path] = data[it.key]!)
    else Object.assign(out, data ?? {})
    files[v.name] = out
  }
  const labels = ((pod.object.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {}) as Record<string, string>
  return { pod: { uid: pod.uid, namespace: pod.namespace, name: pod.name, labels, spec, env, files, ...(discovery.dns ? { dns: discovery.dns } : {}) }, missing }
}
