// affinity (nodeAffinity, podAntiAffinity), tolerations and label selectors.
import type { Checker } from './issues.js'
import { at } from './issues.js'
import { dns1123Label, labelValue, qualifiedName } from './names.js'
import type { Rule } from './rules.js'
import { array, int, object, oneOf, required, str, stringMap, withDefault } from './rules.js'
import type { LabelSelector, LabelSelectorRequirement } from './types-meta.js'
import type { Affinity, NodeAffinity, NodeSelectorRequirement, NodeSelectorTerm, PodAffinityTerm, PodAntiAffinity, Toleration } from './types-pod.js'

const labelValues = array(str(labelValue, true))
const INTEGER = /^-?\d+$/

/** In/NotIn need values, Exists/DoesNotExist take none, Gt/Lt take one integer. */
function checkValues(op: string | undefined, values: readonly string[] | undefined, p: string, c: Checker): void {
  const n = values?.length ?? 0
  const vp = at(p, 'values')
  if ((op === 'In' || op === 'NotIn') && n === 0) c.add(vp, `must have at least one value for operator ${op}`)
  if ((op === 'Exists' || op === 'DoesNotExist') && n > 0) c.add(vp, `must be empty for operator ${op}`)
  if ((op === 'Gt' || op === 'Lt') && (n !== 1 || !INTEGER.test(values![0]!))) c.add(vp, `must be a single integer for operator ${op}`)
}

const labelSelectorRequirement = object<LabelSelectorRequirement>(
  {
    key: required(str(qualifiedName)),
    operator: required(oneOf(['In', 'NotIn', 'Exists', 'DoesNotExist'])),
    values: labelValues,
  },
  { check: (out, p, c) => checkValues(out.operator as string, out.values as string[], p, c) },
)

export const labelSelector = object<LabelSelector>({
  matchLabels: stringMap(qualifiedName, labelValue),
  matchExpressions: array(labelSelectorRequirement),
})

const nodeSelectorRequirement = object<NodeSelectorRequirement>(
  {
    key: required(str(qualifiedName)),
    operator: required(oneOf(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'])),
    values: labelValues,
  },
  { check: (out, p, c) => checkValues(out.operator as string, out.values as string[], p, c) },
)

/** matchFields: Kubernetes knows only metadata.name, with In or NotIn and one value. */
const fieldRequirement = object<NodeSelectorRequirement>(
  {
    key: required(str((s) => (s === 'metadata.name' ? undefined : 'must be metadata.name (the only supported field)'))),
    operator: required(oneOf(['In', 'NotIn'])),
    values: array(str()),
  },
  {
    check: (out, p, c) => {
      if ((out.values as string[] | undefined)?.length !== 1) c.add(at(p, 'values'), 'must have exactly one value')
    },
  },
)

const nodeSelectorTerm = object<NodeSelectorTerm>({
  matchExpressions: array(nodeSelectorRequirement),
  matchFields: array(fieldRequirement),
})

const weight = required(int(1, 100))

const nodeAffinity = object<NodeAffinity>({
  requiredDuringSchedulingIgnoredDuringExecution: object({ nodeSelectorTerms: required(array(nodeSelectorTerm)) }),
  preferredDuringSchedulingIgnoredDuringExecution: array(object({ weight, preference: required(nodeSelectorTerm) })),
})

const podAffinityTerm = object<PodAffinityTerm>(
  {
    labelSelector,
    topologyKey: required(str(qualifiedName)),
    namespaces: array(str(dns1123Label)),
  },
  { unsupported: { namespaceSelector: 'namespaceSelector is not supported by podmesh (list namespaces)' } },
)

const podAntiAffinity = object<PodAntiAffinity>({
  requiredDuringSchedulingIgnoredDuringExecution: array(podAffinityTerm),
  preferredDuringSchedulingIgnoredDuringExecution: array(object({ weight, podAffinityTerm: required(podAffinityTerm) })),
})

export const affinity = object<Affinity>(
  { nodeAffinity, podAntiAffinity },
  { unsupported: { podAffinity: 'podAffinity is not supported by podmesh (nodeAffinity and podAntiAffinity are)' } },
)

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const
export const taintEffect = oneOf(EFFECTS)

export const toleration: Rule<Toleration> = object<Toleration>(
  {
    key: str(qualifiedName),
    operator: withDefault(oneOf(['Equal', 'Exists']), 'Equal'),
    value: str(labelValue),
    effect: taintEffect,
    tolerationSeconds: int(Number.MIN_SAFE_INTEGER),
  },
  {
    check: (out, p, c) => {
      if (out.key === undefined && out.operator === 'Equal') c.add(at(p, 'operator'), 'must be Exists when key is empty')
      if (out.operator === 'Exists' && out.value !== undefined) c.add(at(p, 'value'), 'must be empty when operator is Exists')
      if (out.tolerationSeconds !== undefined && out.effect !== 'NoExecute') c.add(at(p, 'tolerationSeconds'), 'may only be set when effect is NoExecute')
    },
  },
)

