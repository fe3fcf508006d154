// metadata: name, namespace, labels, annotations; the server fields are accepted and dropped.
import type { Checker } from './issues.js'
import { at, idx } from './issues.js'
import { dns1123Label, labelValue, qualifiedName } from './names.js'
import type { Rule } from './rules.js'
import { array, bool, isAbsent, isPlainObject, object, oneOf, required, str, stringMap } from './rules.js'
import { PLACEMENT_ANNOTATION } from './types-kinds.js'
import type { ObjectMeta, OwnerReference, TemplateMeta } from './types-meta.js'

export const DEFAULT_NAMESPACE = 'default'
/** Kubernetes' limit on the total size of an object's annotations. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024

export const labels = stringMap(qualifiedName, labelValue)

const placement = oneOf(['spread', 'binpack'])

export const annotations: Rule<Record<string, string>> = (v, p, c) => {
  const out = stringMap(qualifiedName)(v, p, c)
  if (out === undefined) return undefined
  let size = 0
  for (const [k, value] of Object.entries(out)) size += Buffer.byteLength(k) + Buffer.byteLength(value)
  if (size > MAX_ANNOTATIONS_BYTES) c.add(p, `must total no more than ${MAX_ANNOTATIONS_BYTES} bytes (got ${size})`)
  const place = out[PLACEMENT_ANNOTATION]
  if (place !== undefined) placement(place, idx(p, PLACEMENT_ANNOTATION), c)
  return out
}

/** Kept, as Kubernetes keeps it: not a server field (the store does not re-add it), so dropping it would orphan a served pod applied back. */
const ownerReferences = array(
  object<OwnerReference>({
    apiVersion: required(str()),
    kind: required(str()),
    name: required(str()),
    uid: required(str()),
    controller: bool(),
    blockOwnerDeletion: bool(),
  }),
)

const UNSUPPORTED_META = {
  generateName: 'generateName is not supported by podmesh: set metadata.name',
}

/** metadata of a kind; `nameCheck` is the kind's name syntax, `namespaced` false for Node. */
export function objectMeta(nameCheck: (s: string) => string | undefined, namespaced: boolean): Rule<ObjectMeta> {
  return object<ObjectMeta>(
    {
      name: required(str(nameCheck)),
      namespace: namespaced ? str(dns1123Label) : clusterScoped,
      labels,
      annotations,
      ownerReferences,
      uid: ignored,
      resourceVersion: ignored,
      generation: ignored,
      creationTimestamp: ignored,
    },
    {
      unsupported: UNSUPPORTED_META,
      check: (out) => {
        out.namespace ??= namespaced ? DEFAULT_NAMESPACE : ''
      },
    },
  )
}

/** Server fields: accepted, never kept (resourceVersion is read apart, by readResourceVersion). */
const ignored: Rule<never> = () => undefined

const clusterScoped: Rule<string> = (v, p, c) => {
  if (!isAbsent(v) && v !== '') c.add(p, 'must not be set: Node is cluster-scoped')
  return undefined
}

export const templateMeta = object<TemplateMeta>(
  { labels, annotations },
  {
    unsupported: {
      name: 'must not be set in a pod template (podmesh names the pods)',
      namespace: 'must not be set in a pod template (the pods take the Deployment\'s namespace)',
      ...UNSUPPORTED_META,
    },
  },
)

/** metadata.resourceVersion as given: "42" (as served) or 42. Reports anything else. */
export function readResourceVersion(rawMeta: unknown, c: Checker): number | undefined {
  if (!isPlainObject(rawMeta)) return undefined
  const v = rawMeta.resourceVersion
  if (isAbsent(v) || v === '') return undefined
  const n = typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : typeof v === 'number' ? v : NaN
  if (!Number.isSafeInteger(n) || n < 1) return void c.add(at('metadata', 'resourceVersion'), `must be a positive integer, as served (got ${JSON.stringify(v)})`)
  return n
}
