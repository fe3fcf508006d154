// One manifest document → its canonical stored form, or every issue found in it.
import type { Issue } from './issues.js'
import { Checker } from './issues.js'
import type { KindInfo } from './kinds.js'
import { KINDS, supportedKindsText } from './kinds.js'
import { dns1035Label, dns1123Subdomain } from './names.js'
import type { Rule } from './rules.js'
import { describe, isAbsent, isPlainObject, object, required, withDefault } from './rules.js'
import type { KindName, NodeSpec, Normalized, Resource, Taint } from './types-kinds.js'
import { taintEffect } from './validate-affinity.js'
import { configMapData, immutable, secretData, secretType } from './validate-config.js'
import { deploymentSpec } from './validate-deployment.js'
import { objectMeta, readResourceVersion } from './validate-meta.js'
import { podSpec } from './validate-pod.js'
import { serviceSpec } from './validate-service.js'
import { array, bool, str } from './rules.js'
import { labelValue, qualifiedName } from './names.js'

export interface ParsedDocument {
  /** "deploy.yaml#2": the file and the 1-based index of the document in it. */
  readonly source: string
  readonly value: unknown
}

export type Validation = { readonly ok: true; readonly object: Normalized } | { readonly ok: false; readonly issues: readonly Issue[] }

/** Accepted, dropped: status written by the cluster. */
const dropped: Rule<never> = () => undefined
/** apiVersion and kind are checked before the body; echoed as is. */
const echo: Rule<string> = (v) => v as string

const taint = object<Taint>({ key: required(str(qualifiedName)), value: str(labelValue), effect: required(taintEffect), timeAdded: str() })
const nodeSpec = object<NodeSpec>({ unschedulable: withDefault(bool(), false), taints: array(taint) })

/** A Node's status is the agents' business: any object, kept with its keys sorted. */
const nodeStatus: Rule<Record<string, unknown>> = (v, p, c) => {
  if (isAbsent(v)) return undefined
  if (!isPlainObject(v)) return void c.add(p, `must be an object (got ${describe(v)})`)
  return sortKeys(v) as Record<string, unknown>
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (!isPlainObject(v)) return v
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]))
}

const NAME_CHECK: Readonly<Record<KindName, (s: string) => string | undefined>> = {
  Node: dns1123Subdomain,
  Pod: dns1123Subdomain,
  Deployment: dns1123Subdomain,
  Service: dns1035Label,
  Secret: dns1123Subdomain,
  ConfigMap: dns1123Subdomain,
}

function bodyRule(info: KindInfo): Rule<Resource> {
  const head = { apiVersion: echo, kind: echo, metadata: required(objectMeta(NAME_CHECK[info.kind], info.namespaced)) }
  switch (info.kind) {
    case 'Pod':
      return object({ ...head, spec: required(podSpec('Pod')), status: dropped }) as Rule<Resource>
    case 'Deployment':
      return object({ ...head, spec: required(deploymentSpec), status: dropped }) as Rule<Resource>
    case 'Service':
      return object({ ...head, spec: required(serviceSpec), status: dropped }) as Rule<Resource>
    case 'Node':
      return object({ ...head, spec: withDefault(nodeSpec, { unschedulable: false }), status: nodeStatus }) as Rule<Resource>
    case 'Secret':
      return object(
        { ...head, type: withDefault(secretType, 'Opaque'), immutable, data: dropped, stringData: dropped },
        { check: (out, _p, c, raw) => void (out.data = secretData(raw, c)) },
      ) as Rule<Resource>
    case 'ConfigMap':
      return object(
        { ...head, immutable, data: dropped, binaryData: dropped },
        { check: (out, _p, c, raw) => void Object.assign(out, configMapData(raw, c)) },
      ) as Rule<Resource>
  }
}

const RULES = new Map(KINDS.map((k) => [k, bodyRule(k)]))

/** Finds the kind, or reports why not (unknown kind, or the right kind under the wrong apiVersion). */
function lookup(doc: Record<string, unknown>, c: Checker): KindInfo | undefined {
  const { apiVersion, kind } = doc
  if (isAbsent(apiVersion) || apiVersion === '') c.add('apiVersion', 'is required')
  if (isAbsent(kind) || kind === '') c.add('kind', 'is required')
  if (!c.ok) return undefined
  const byKind = KINDS.find((k) => k.kind === kind)
  if (byKind === undefined) return void c.add('kind', `${describe(kind)} is not a kind podmesh supports (supported: ${supportedKindsText()})`)
  if (byKind.apiVersion !== apiVersion) return void c.add('apiVersion', `${byKind.kind} is ${byKind.apiVersion} in podmesh (got ${describe(apiVersion)})`)
  return byKind
}

/** Validates one document and normalizes it. Reports every issue of the document, not just the first. */
export function validateDocument(doc: ParsedDocument): Validation {
  const c = new Checker(doc.source)
  const v = doc.value
  if (!isPlainObject(v)) {
    c.add('', `must be an object with apiVersion and kind (got ${describe(v)})`)
    return { ok: false, issues: c.issues }
  }
  const info = lookup(v, c)
  if (info === undefined) return { ok: false, issues: c.issues }
  const object = RULES.get(info)!(v, '', c)
  const resourceVersion = readResourceVersion(v.metadata, c)
  if (!c.ok || object === undefined) return { ok: false, issues: c.issues }
  const normalized: Normalized = {
    kind: info.kind,
    apiVersion: info.apiVersion,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
    ...(resourceVersion === undefined ? {} : { resourceVersion }),
    object,
  }
  return { ok: true, object: normalized }
}
