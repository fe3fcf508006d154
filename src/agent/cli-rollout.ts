// `agent rollout status|history|undo|pause|resume deployment NAME`. The revisions live in the
// Deployment's status (written by the leader's controller): history reads them, undo writes an old
// template back with a compare-and-set PUT, pause and resume set spec.paused the same way.
import { toYaml } from './cli-yaml.js'
import { ApiError, UsageError } from './errors.js'
import type { ClientFlags } from './cli-client.js'
import { ApiClient, apiPath } from './client.js'
import { parseKindArgs, qualifiedName, type KindInfo } from './cli-kinds.js'
import { processIo, type CliIo } from './cli-io.js'
import { arr, meta, num, rec, str, type Json } from './cli-object.js'
import { followRollout } from './cli-rollout-follow.js'
import { formatTable } from './table.js'

export interface RolloutFlags extends ClientFlags {
  readonly namespace: string
  readonly timeout?: string
  readonly watch?: boolean
  readonly revision?: string
  readonly toRevision?: string
}

const CHANGE_CAUSE = 'kubernetes.io/change-cause'
const RETRIED = new Set(['Conflict', 'Indeterminate', 'NoLeader'])
const ATTEMPTS = 5

function target(kindArg: string, nameArg: string | undefined, verb: string): { kind: KindInfo; name: string } {
  const { kind, name } = parseKindArgs(kindArg, nameArg)
  if (kind.kind !== 'Deployment') throw new UsageError(`only deployments have rollouts, not ${kind.plural}`)
  if (!name) throw new UsageError(`give the name of the deployment to ${verb}: agent rollout ${verb} deployment NAME`)
  return { kind, name }
}

export function parseSeconds(v: string | undefined, flag: string): number {
  if (v === undefined || v === '') return 0
  if (!/^\d+(\.\d+)?$/.test(v.trim())) throw new UsageError(`${flag} must be a number of seconds >= 0, not "${v}"`)
  return Number(v)
}

function parseRevision(v: string, flag: string): number {
  if (!/^\d+$/.test(v.trim()) || Number(v) === 0) throw new UsageError(`${flag} must be a revision number (1, 2, ...), not "${v}"`)
  return Number(v)
}

export async function rolloutStatusCommand(kindArg: string, nameArg: string | undefined, flags: RolloutFlags, io: CliIo = processIo): Promise<void> {
  const { name } = target(kindArg, nameArg, 'status')
  const timeoutMs = parseSeconds(flags.timeout, '--timeout') * 1000
  const tty = io === processIo && process.stdout.isTTY === true
  await followRollout(new ApiClient(flags), { namespace: flags.namespace, name, io, tty, timeoutMs, watch: flags.watch !== false })
}

/** A revision's row: its number, what happened to it, and the change cause. */
export function historyRows(d: Json): string[][] {
  const status = rec(d.status)
  const current = num(status.revision)
  return arr(status.history).map((h) => {
    const failed = rec(h.failed)
    const state = h.revision === current ? 'current' : str(failed.reason) ? `failed (${str(failed.reason)})` : str(h.completed) ? 'complete' : '-'
    return [String(num(h.revision) ?? '?'), state, str(h.changeCause) ?? '<none>']
  })
}

export async function rolloutHistoryCommand(kindArg: string, nameArg: string | undefined, flags: RolloutFlags, io: CliIo = processIo): Promise<void> {
  const { kind, name } = target(kindArg, nameArg, 'history')
  const d = await getDeployment(new ApiClient(flags), kind, name, flags.namespace)
  if (flags.revision !== undefined) {
    const r = findRevision(d, parseRevision(flags.revision, '--revision'), name)
    io.out(`${qualifiedName(kind, name)} with revision #${num(r.revision)}\n`)
    if (str(r.changeCause)) io.out(`Change cause: ${str(r.changeCause)}\n`)
    io.out('Pod Template:\n' + indent(toYaml(r.template)))
    return
  }
  const rows = historyRows(d)
  io.out(`${qualifiedName(kind, name)}\n`)
  if (rows.length === 0) return io.out('No rollout history yet (the controller records revision 1 once it sees the deployment).\n')
  io.out(formatTable(['REVISION', 'STATE', 'CHANGE-CAUSE'], rows) + '\n')
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : `  ${l}`))
    .join('\n')
}

function availableRevisions(d: Json): string {
  const nums = arr(rec(d.status).history).map((h) => num(h.revision))
  return nums.length === 0 ? 'it has no recorded revisions yet' : `revisions ${nums.join(', ')} are recorded`
}

function findRevision(d: Json, revision: number, name: string): Json {
  const r = arr(rec(d.status).history).find((h) => h.revision === revision)
  if (!r) throw new UsageError(`revision ${revision} of deployment "${name}" not found: ${availableRevisions(d)} (see \`agent rollout history deployment ${name}\`)`)
  return r
}

/** The template to go back to: --to-revision, or the newest revision before the current one. */
export function undoTarget(d: Json, toRevision: number | undefined, name: string): Json {
  const status = rec(d.status)
  const current = num(status.revision) ?? 0
  if (toRevision !== undefined) {
    if (toRevision === current) throw new UsageError(`revision ${toRevision} is the current revision of deployment "${name}": nothing to undo (${availableRevisions(d)})`)
    return findRevision(d, toRevision, name)
  }
  const older = arr(status.history).filter((h) => (num(h.revision) ?? 0) < current)
  const prev = older[older.length - 1]
  if (!prev) throw new UsageError(`deployment "${name}" has no revision before the current one (${current}) to go back to: ${availableRevisions(d)}`)
  return prev
}

export async function rolloutUndoCommand(kindArg: string, nameArg: string | undefined, flags: RolloutFlags, io: CliIo = processIo): Promise<void> {
  const { kind, name } = target(kindArg, nameArg, 'undo')
  const to = flags.toRevision !== undefined ? parseRevision(flags.toRevision, '--to-revision') : undefined
  let revision = 0
  await updateDeployment(new ApiClient(flags), kind, name, flags.namespace, (d) => {
    const r = undoTarget(d, to, name)
    revision = num(r.revision) ?? 0
    const annotations: Record<string, unknown> = { ...rec(rec(d.metadata).annotations) }
    if (str(r.changeCause) !== undefined) annotations[CHANGE_CAUSE] = str(r.changeCause)
    else delete annotations[CHANGE_CAUSE]
    return { ...d, metadata: { ...rec(d.metadata), annotations }, spec: { ...rec(d.spec), template: r.template } }
  })
  io.out(`${qualifiedName(kind, name)} rolled back to revision ${revision}\n`)
}

export async function rolloutPauseCommand(kindArg: string, nameArg: string | undefined, flags: RolloutFlags, paused: boolean, io: CliIo = processIo): Promise<void> {
  const verb = paused ? 'pause' : 'resume'
  const { kind, name } = target(kindArg, nameArg, verb)
  let changed = true
  await updateDeployment(new ApiClient(flags), kind, name, flags.namespace, (d) => {
    changed = (rec(d.spec).paused === true) !== paused
    return { ...d, spec: { ...rec(d.spec), paused } }
  })
  io.out(`${qualifiedName(kind, name)} ${changed ? (paused ? 'paused' : 'resumed') : `already ${paused ? 'paused' : 'running (not paused)'}`}\n`)
}

async function getDeployment(api: ApiClient, kind: KindInfo, name: string, namespace: string): Promise<Json> {
  try {
    return await api.request<Json>('GET', apiPath(`/v1/${kind.plural}/${encodeURIComponent(name)}`, { namespace }))
  } catch (err) {
    if (err instanceof ApiError && err.code === 'NotFound') throw new ApiError(`deployment "${name}" not found in namespace "${namespace}": check the name with \`agent get deployments -n ${namespace}\``, 404, 'NotFound')
    throw err
  }
}

/** Read, change, PUT with the version read (compare-and-set); on a conflict, read again and retry. */
async function updateDeployment(api: ApiClient, kind: KindInfo, name: string, namespace: string, change: (d: Json) => Json): Promise<void> {
  const path = apiPath(`/v1/${kind.plural}/${encodeURIComponent(name)}`, { namespace })
  for (let attempt = 1; ; attempt++) {
    const current = await getDeployment(api, kind, name, namespace)
    if (!meta(current).resourceVersion) throw new ApiError(`${qualifiedName(kind, name)} came back without a resourceVersion; cannot change it safely`, 0, 'Internal')
    try {
      await api.request('PUT', path, { body: JSON.stringify(change(current)) })
      return
    } catch (err) {
      if (!(err instanceof ApiError) || !RETRIED.has(err.code) || attempt >= ATTEMPTS) throw err
    }
  }
}
