// `agent delete KIND NAME` and `agent delete -f FILE|DIR|-`: one DELETE per object, in order.
import { ApiError, UsageError } from './errors.js'
import type { ClientFlags } from './cli-client.js'
import { ApiClient, apiPath } from './client.js'
import { kindOfManifest, parseKindArgs, type KindInfo } from './cli-kinds.js'
import { parseObjects, readSources } from './cli-manifests.js'
import { meta, str } from './cli-object.js'
import { processIo, type CliIo } from './cli-io.js'

export interface DeleteFlags extends ClientFlags {
  readonly namespace: string
  readonly filename?: readonly string[]
  readonly ignoreNotFound?: boolean
}

export interface DeleteTarget {
  readonly kind: KindInfo
  readonly name: string
  /** undefined for cluster-scoped kinds. */
  readonly namespace?: string
}

/** The objects `-f` names: kind, name and namespace (the manifest's, else -n's); a UsageError for one the CLI cannot address. */
export async function targetsFromFiles(files: readonly string[], defaultNamespace: string): Promise<DeleteTarget[]> {
  const out: DeleteTarget[] = []
  for (const source of await readSources(files)) {
    parseObjects(source).forEach((o, i) => {
      const kind = kindOfManifest(str(o.kind) ?? '')
      const name = meta(o).name
      if (!kind) throw new UsageError(`${source.name}: object ${i + 1} has kind "${str(o.kind) ?? ''}", which podmesh does not know`)
      if (!name) throw new UsageError(`${source.name}: object ${i + 1} (${kind.kind}) has no metadata.name`)
      out.push({ kind, name, ...(kind.namespaced ? { namespace: meta(o).namespace || defaultNamespace } : {}) })
    })
  }
  return out
}

export function deletedLine(t: DeleteTarget): string {
  return `${t.kind.display} "${t.name}" deleted`
}

/**
 * Deletes every target, in order. A missing one does not stop the others (as kubectl): each is reported
 * on stderr and the command fails at the end, unless --ignore-not-found. Any other error stops at once.
 */
export async function deleteCommand(kindArg: string | undefined, nameArg: string | undefined, flags: DeleteFlags, io: CliIo = processIo): Promise<void> {
  const targets = await resolveTargets(kindArg, nameArg, flags)
  const api = new ApiClient(flags)
  const missing: ApiError[] = []
  for (const t of targets) {
    try {
      await api.request('DELETE', apiPath(`/v1/${t.kind.plural}/${encodeURIComponent(t.name)}`, { namespace: t.namespace }))
      io.out(deletedLine(t) + '\n')
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'NotFound')) throw err
      if (!flags.ignoreNotFound) missing.push(err)
    }
  }
  if (missing.length === 0) return
  if (targets.length === 1) throw missing[0]
  for (const err of missing) io.err(`agent: ${err.message}\n`)
  throw new ApiError(`${missing.length} of ${targets.length} objects not found (the others were deleted)`, 404, 'NotFound')
}

async function resolveTargets(kindArg: string | undefined, nameArg: string | undefined, flags: DeleteFlags): Promise<DeleteTarget[]> {
  const files = flags.filename ?? []
  if (files.length) {
    if (kindArg) throw new UsageError('give either -f or a KIND and NAME, not both')
    return targetsFromFiles(files, flags.namespace)
  }
  if (!kindArg) throw new UsageError('give a KIND and NAME (agent delete deployment web) or -f FILE')
  const { kind, name } = parseKindArgs(kindArg, nameArg)
  if (!name) throw new UsageError(`give the name of the ${kind.kind} to delete (deleting every object of a kind is not supported)`)
  return [{ kind, name, ...(kind.namespaced ? { namespace: flags.namespace } : {}) }]
}
