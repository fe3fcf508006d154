// apps/v1 Deployment: replicas, selector, template, strategy and the rollout timings.
import { SelectorError } from './errors.js'
import type { Checker } from './issues.js'
import { at } from './issues.js'
import type { Rule } from './rules.js'
import { bool, int, intOrString, isAbsent, object, oneOf, required, withDefault } from './rules.js'
import { fromLabelSelector } from './selector.js'
import type { DeploymentSpec, DeploymentStrategy, PodTemplateSpec, RollingUpdateDeployment } from './types-kinds.js'
import type { IntOrString, LabelSelector, TemplateMeta } from './types-meta.js'
import { labelSelector } from './validate-affinity.js'
import { templateMeta } from './validate-meta.js'
import { podSpec } from './validate-pod.js'

const PERCENT = /^(\d+)%$/

function percentOrCount(maxPercent?: number): Rule<IntOrString> {
  return intOrString(int(0), (s) => {
    const m = PERCENT.exec(s)
    if (m === null) return 'must be an integer or a percentage like "25%"'
    if (maxPercent !== undefined && Number(m[1]) > maxPercent) return `must not be more than ${maxPercent}%`
    return undefined
  })
}

const isZero = (v: IntOrString | undefined): boolean => v === 0 || (typeof v === 'string' && Number(PERCENT.exec(v)?.[1]) === 0)

const rollingUpdate = object<RollingUpdateDeployment>(
  {
    maxSurge: withDefault(percentOrCount(), '25%'),
    maxUnavailable: withDefault(percentOrCount(100), '25%'),
  },
  {
    check: (out, p, c) => {
      if (isZero(out.maxSurge as IntOrString) && isZero(out.maxUnavailable as IntOrString))
        c.add(at(p, 'maxUnavailable'), 'may not be 0 when maxSurge is 0')
    },
  },
)

const strategy = object<DeploymentStrategy>(
  {
    type: withDefault(oneOf(['RollingUpdate', 'Recreate']), 'RollingUpdate'),
    rollingUpdate,
  },
  {
    check: (out, p, c, raw) => {
      if (out.type === 'Recreate' && !isAbsent(raw.rollingUpdate)) c.add(at(p, 'rollingUpdate'), 'may not be set when type is Recreate')
      if (out.type === 'RollingUpdate') out.rollingUpdate ??= rollingUpdate({}, at(p, 'rollingUpdate'), c)
    },
  },
)

const DEFAULT_STRATEGY: DeploymentStrategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }

const template = object<PodTemplateSpec>({
  metadata: withDefault(templateMeta, {}),
  spec: required(podSpec('Deployment')),
})

/** The selector must be non-empty, well formed, and match the template's labels (Kubernetes' rules). */
function checkSelector(out: Partial<DeploymentSpec>, p: string, c: Checker): void {
  const sel = out.selector as LabelSelector | undefined
  if (sel === undefined) return
  if (sel.matchLabels === undefined && sel.matchExpressions === undefined) return void c.add(at(p, 'selector'), 'must not be empty')
  const labels = (out.template?.metadata as TemplateMeta | undefined)?.labels ?? {}
  try {
    if (!fromLabelSelector(sel).matches(labels)) c.add(at(at(at(p, 'template'), 'metadata'), 'labels'), 'must match spec.selector (selector does not match template labels)')
  } catch (err) {
    if (!(err instanceof SelectorError)) throw err
    // Already reported field by field by the labelSelector rule.
  }
}

export const deploymentSpec = object<DeploymentSpec>(
  {
    replicas: withDefault(int(0), 1),
    selector: required(labelSelector),
    template: required(template),
    strategy: withDefault(strategy, DEFAULT_STRATEGY),
    minReadySeconds: withDefault(int(0), 0),
    progressDeadlineSeconds: withDefault(int(1), 600),
    revisionHistoryLimit: withDefault(int(0), 10),
    paused: withDefault(bool(), false),
  },
  {
    check: (out, p, c) => {
      checkSelector(out as Partial<DeploymentSpec>, p, c)
      const ready = out.minReadySeconds as number | undefined
      const deadline = out.progressDeadlineSeconds as number | undefined
      if (ready !== undefined && deadline !== undefined && deadline <= ready)
        c.add(at(p, 'progressDeadlineSeconds'), `must be greater than minReadySeconds (${ready})`)
    },
  },
)
