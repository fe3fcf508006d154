// `agent apply -f …`: each file is one request and the API applies it atomically (one Raft entry).
// With several files, every file is first checked with a dry run, so an invalid file anywhere means
// nothing is applied; then the files are applied in order. (The API names one source per request, so
// one combined request would lose the file names in its errors.)
import { ApiError } from './errors.js'
import { ApiClient, apiPath } from './client.js'
import type { ClientFlags } from './cli-client.js'
import { kindOfManifest } from './cli-kinds.js'
import { applicableSources } from './cli-apply-sources.js'
import { readSources, type Source } from './cli-manifests.js'
import { processIo, type CliIo } from './cli-io.js'
import { arr, rec, str } from './cli-object.js'
import { followRollout } from './cli-rollout-follow.js'
import { parseSeconds } from './cli-rollout.js'

export interface ApplyFlags extends ClientFlags {
  readonly filename: readonly string[]
  /** Where objects without metadata.namespace go (the API's ?namespace=). */
  readonly namespace?: string
  /** -n was given on the command line: an object naming another namespace is then an error. */
  readonly namespaceExplicit?: boolean
  readonly dryRun?: boolean
  /** Follow every Deployment the apply changed until its rollout completes (cli-rollout-follow.ts). */
  readonly wait?: boolean
  /** Seconds, with wait. */
  readonly timeout?: string
}

export interface ApplyResult {
  readonly kind: string
  readonly namespace?: string
  readonly name: string
  readonly action: string
  readonly resourceVersion?: string
}

export interface Issue {
  readonly document: string
  readonly path: string
  readonly reason: string
}

/** `deployment.apps/web created`, with ` (dry run)` when nothing was written. */
export function formatApplyResult(r: ApplyResult, dryRun: boolean): string {
  const display = kindOfManifest(r.kind)?.display ?? r.kind.toLowerCase()
  return `${display}/${r.name} ${r.action}${dryRun ? ' (dry run)' : ''}`
}

/** `deploy.yaml#2 spec.replicas: must be >= 0`; the path is left out when the issue is about the whole document. */
export function formatIssue(i: Issue): string {
  return i.path ? `${i.document} ${i.path}: ${i.reason}` : `${i.document}: ${i.reason}`
}

export function issuesOf(err: ApiError): Issue[] {
  return arr(rec(err.details).issues).map((i) => ({ document: str(i.document) ?? '?', path: str(i.path) ?? '', reason: str(i.reason) ?? '' }))
}

/** One error for every invalid file: every issue on its own line. */
export function invalidError(failures: readonly { source: string; err: ApiError }[], note = 'nothing applied'): ApiError {
  const lines: string[] = []
  for (const f of failures) {
    const issues = issuesOf(f.err)
    if (issues.length === 0) lines.push(`${f.source}: ${f.err.message}`)
    else lines.push(...issues.map(formatIssue))
  }
  const count = lines.length === 1 ? '1 problem' : `${lines.length} problems`
  return new ApiError(`${count}, ${note}:\n  ${lines.join('\n  ')}`, 422, 'Invalid', { issues: failures.flatMap((f) => issuesOf(f.err)) })
}

/** Header values must be Latin-1; a file name beyond that is sent percent-encoded. */
export function sourceHeader(name: string): string {
  return /^[\x20-\x7e]*$/.test(name) ? name : encodeURI(name)
}

async function applyOne(api: ApiClient, s: Source, dryRun: boolean, namespace: string | undefined): Promise<ApplyResult[]> {
  const body = await api.request<{ results?: ApplyResult[] }>('POST', apiPath('/v1/apply', { namespace, dryRun: dryRun ? 'true' : undefined }), {
    body: s.text,
    contentType: s.contentType,
    headers: { 'x-podmesh-source': sourceHeader(s.name) },
  })
  return body?.results ?? []
}

function isInvalid(err: unknown): err is ApiError {
  return err instanceof ApiError && err.code === 'Invalid'
}

const stdoutWrite = (s: string): void => void process.stdout.write(s)

export async function applyCommand(flags: ApplyFlags, write: (s: string) => void = stdoutWrite, io: CliIo = write === stdoutWrite ? processIo : { ...processIo, out: write }): Promise<void> {
  const api = new ApiClient(flags)
  const timeoutMs = parseSeconds(flags.timeout, '--timeout') * 1000
  const sources = applicableSources(await readSources(flags.filename), flags.namespace ?? 'default', flags.namespaceExplicit === true)
  if (sources.length > 1 && !flags.dryRun) await preflight(api, sources, flags.namespace)
  const failures: { source: string; err: ApiError }[] = []
  const changed: ApplyResult[] = []
  let applied = 0
  for (const s of sources) {
    try {
      for (const r of await applyOne(api, s, flags.dryRun === true, flags.namespace)) {
        write(formatApplyResult(r, flags.dryRun === true) + '\n')
        if (r.kind === 'Deployment' && (r.action === 'created' || r.action === 'configured')) changed.push(r)
      }
      applied++
    } catch (err) {
      if (!isInvalid(err)) throw prefixed(s.name, err)
      failures.push({ source: s.name, err })
      if (!flags.dryRun) break
    }
  }
  if (failures.length) throw invalidError(failures, flags.dryRun || applied === 0 ? 'nothing applied' : `${failures[0]!.source} not applied (the files before it were)`)
  if (flags.wait && !flags.dryRun) await waitForRollouts(api, changed, timeoutMs, io)
}

/** Follows each changed Deployment in turn, within one overall timeout; the first failure ends the wait. */
async function waitForRollouts(api: ApiClient, changed: readonly ApplyResult[], timeoutMs: number, io: CliIo): Promise<void> {
  const deadline = io.now() + timeoutMs
  const tty = io === processIo && process.stdout.isTTY === true
  for (const r of changed) {
    const namespace = r.namespace ?? 'default'
    const d = await api.request<Record<string, unknown>>('GET', apiPath(`/v1/deployments/${encodeURIComponent(r.name)}`, { namespace }))
    const minGeneration = Number(rec(d?.metadata).generation ?? 0)
    const left = timeoutMs > 0 ? Math.max(1, deadline - io.now()) : 0
    await followRollout(api, { namespace, name: r.name, io, tty, timeoutMs: left, minGeneration })
  }
}

/** Dry-runs every file; throws one error listing the issues of all the invalid ones. */
async function preflight(api: ApiClient, sources: readonly Source[], namespace: string | undefined): Promise<void> {
  const failures: { source: string; err: ApiError }[] = []
  for (const s of sources) {
    try {
      await applyOne(api, s, true, namespace)
    } catch (err) {
      if (!isInvalid(err)) throw prefixed(s.name, err)
      failures.push({ source: s.name, err })
    }
  }
  if (failures.length) throw invalidError(failures)
}

function prefixed(source: string, err: unknown): unknown {
  if (!(err instanceof ApiError) || err.code === 'Unreachable') return err
  return new ApiError(`${source}: ${err.message}`, err.status, err.code, err.details)
}
