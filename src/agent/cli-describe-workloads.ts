// `describe` for Pods and Deployments.
import { age } from './cli-age.js'
import { selectorString } from './cli-columns.js'
import { describeContainers, volumeString } from './cli-describe-containers.js'
import type { DescribeWriter } from './cli-describe-writer.js'
import { arr, at, labelString, meta, num, rec, str, type Json } from './cli-object.js'

/** `Type  Status  Reason  Message` rows of a status's conditions. */
export function conditionsTable(w: DescribeWriter, conditions: readonly Json[], indent = 1): void {
  if (conditions.length === 0) return void w.field('Conditions', undefined)
  w.heading('Conditions')
  w.table(
    ['Type', 'Status', 'Reason', 'Message'],
    conditions.map((c) => [str(c.type) ?? '?', str(c.status) ?? 'Unknown', str(c.reason) ?? '', str(c.message) ?? '']),
    indent,
  )
}

/** Why a pending pod has no node: the scheduler's `0/3 nodes available: …`, from its PodScheduled condition. */
export function schedulingMessage(pod: Json): string | undefined {
  if (str(at(pod, 'spec', 'nodeName'))) return undefined
  const cond = arr(at(pod, 'status', 'conditions')).find((c) => c.type === 'PodScheduled' && c.status !== 'True' && c.status !== true)
  return str(cond?.message) ?? str(at(pod, 'status', 'message'))
}

export function describePod(w: DescribeWriter, o: Json, now: number): void {
  const status = rec(o.status)
  w.field('Node', str(at(o, 'spec', 'nodeName')))
  const owner = arr(at(o, 'metadata', 'ownerReferences'))[0]
  if (owner) w.field('Controlled By', `${str(owner.kind) ?? '?'}/${str(owner.name) ?? '?'}`)
  // kubectl's describe: the phase (the container states below say why); get's STATUS column is podStatus.
  w.field('Status', meta(o).deletionTimestamp ? 'Terminating' : (str(status.phase) ?? 'Pending'))
  if (str(status.reason)) w.field('Reason', str(status.reason))
  if (str(status.startTime)) w.field('Started', `${str(status.startTime)} (${age(str(status.startTime), now)} ago)`)
  const why = schedulingMessage(o)
  if (why) w.field('Scheduling', why)
  else if (str(status.message)) w.field('Message', str(status.message))
  w.field('IP', str(status.podIP))
  describeContainers(w, o.spec, 0, arr(status.containerStatuses))
  w.field('Volumes', arr(at(o, 'spec', 'volumes')).map(volumeString).join('\n'))
  conditionsTable(w, arr(status.conditions))
  w.field('Node-Selectors', labelString(rec(at(o, 'spec', 'nodeSelector')) as Record<string, string>))
  const tolerations = arr(at(o, 'spec', 'tolerations')).map(tolerationString)
  w.field('Tolerations', tolerations.join('\n'))
}

export function tolerationString(t: Json): string {
  const key = str(t.key) ?? ''
  const op = str(t.operator) ?? 'Equal'
  const value = op === 'Exists' ? '' : `=${str(t.value) ?? ''}`
  const effect = str(t.effect) ? `:${str(t.effect)}` : ''
  return key === '' && op === 'Exists' ? `op=Exists${effect}` : `${key}${op === 'Exists' ? ' op=Exists' : value}${effect}`
}

function strategyLine(o: Json): { type: string; rolling?: string } {
  const s = rec(at(o, 'spec', 'strategy'))
  const type = str(s.type) ?? 'RollingUpdate'
  if (type !== 'RollingUpdate') return { type }
  const r = rec(s.rollingUpdate)
  return { type, rolling: `${str(r.maxUnavailable) ?? '25%'} max unavailable, ${str(r.maxSurge) ?? '25%'} max surge` }
}

export function describeDeployment(w: DescribeWriter, o: Json): void {
  const s = rec(o.status)
  const desired = num(at(o, 'spec', 'replicas')) ?? 1
  w.field('Selector', selectorString(at(o, 'spec', 'selector')))
  w.field(
    'Replicas',
    `${desired} desired | ${num(s.updatedReplicas) ?? 0} updated | ${num(s.replicas) ?? 0} total | ${num(s.availableReplicas) ?? 0} available | ${num(s.unavailableReplicas) ?? 0} unavailable`,
  )
  const strategy = strategyLine(o)
  w.field('StrategyType', strategy.type)
  if (strategy.rolling) w.field('RollingUpdateStrategy', strategy.rolling)
  if (num(s.observedGeneration) !== undefined) w.field('Observed Generation', num(s.observedGeneration))
  describeRollout(w, o)
  const template = rec(at(o, 'spec', 'template'))
  w.heading('Pod Template')
  w.field('Labels', Object.entries(meta(template).labels).map(([k, v]) => `${k}=${v}`).join('\n'), 1)
  describeContainers(w, template.spec, 1)
  w.field('Volumes', arr(at(template, 'spec', 'volumes')).map(volumeString).join('\n'), 1)
  conditionsTable(w, arr(s.conditions))
}

/** The revision, pause, and an automatic rollback still on record (see `agent rollout history`). */
function describeRollout(w: DescribeWriter, o: Json): void {
  const s = rec(o.status)
  if (num(s.revision) !== undefined) w.field('Revision', num(s.revision))
  if (at(o, 'spec', 'paused') === true) w.field('Paused', 'true (resume with `agent rollout resume`)')
  const rollback = rec(s.rollback)
  if (str(rollback.message)) w.field('Rolled Back', `${str(rollback.time) ?? ''} ${str(rollback.message)}`.trim())
}
