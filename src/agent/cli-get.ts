// `agent get KIND [NAME]`: one object or a list, as a table or in a machine format, optionally watched.
import { setTimeout as delay } from 'node:timers/promises'
import { ApiError, UsageError } from './errors.js'
import { ApiClient, apiPath } from './client.js'
import { withEndpoints, withMembership } from './cli-live-fields.js'
import { processIo, type CliIo } from './cli-io.js'
import type { ClientFlags } from './cli-client.js'
import { parseKindArgs, type KindInfo } from './cli-kinds.js'
import { at, meta, num, rec, str, type Json } from './cli-object.js'
import { formatGet, noneFound, parseOutputFormat, WatchPrinter, type ListLike, type OutputFormat } from './cli-output.js'

export interface GetFlags extends ClientFlags {
  readonly namespace: string
  readonly allNamespaces?: boolean
  readonly selector?: string
  readonly output?: string
  readonly watch?: boolean
  readonly showSecrets?: boolean
  readonly stale?: boolean
}

interface Target {
  readonly kind: KindInfo
  readonly name?: string
  readonly namespace?: string
  readonly format: OutputFormat
}

export function targetOf(kindArg: string, nameArg: string | undefined, flags: GetFlags): Target {
  const { kind, name } = parseKindArgs(kindArg, nameArg)
  if (name && flags.selector) throw new UsageError('a name and a label selector (-l) cannot be combined')
  if (name && flags.allNamespaces && kind.namespaced) throw new UsageError('a name needs a namespace: use -n, not -A')
  const namespace = !kind.namespaced || (flags.allNamespaces && !name) ? undefined : flags.namespace
  return { kind, ...(name ? { name } : {}), ...(namespace === undefined ? {} : { namespace }), format: parseOutputFormat(flags.output) }
}

async function fetchList(api: ApiClient, t: Target, flags: GetFlags): Promise<ListLike> {
  const reveal = flags.showSecrets && t.kind.kind === 'Secret' ? 'true' : undefined
  const stale = flags.stale ? 'true' : undefined
  if (t.name) {
    const o = await api.request<Json>('GET', apiPath(`/v1/${t.kind.plural}/${encodeURIComponent(t.name)}`, { namespace: t.namespace, reveal, stale }))
    return { items: [o], metadata: { resourceVersion: meta(o).resourceVersion } }
  }
  const list = await api.request<ListLike>('GET', apiPath(`/v1/${t.kind.plural}`, { namespace: t.namespace, labelSelector: flags.selector, reveal, stale }))
  return { ...list, items: list?.items ?? [] }
}

export async function getCommand(kindArg: string, nameArg: string | undefined, flags: GetFlags, io: CliIo = processIo): Promise<void> {
  const t = targetOf(kindArg, nameArg, flags)
  const api = new ApiClient(flags)
  const list = await fetchList(api, t, flags)
  const tableOpts = { allNamespaces: flags.allNamespaces === true, now: io.now() }
  if (flags.watch) return watch(api, t, flags, list, io)
  if (t.kind.kind === 'Service' && t.format === 'wide') await Promise.all(list.items.map((o) => withEndpoints(api, o, meta(o).namespace ?? t.namespace)))
  if (t.kind.kind === 'Node' && (t.format === 'table' || t.format === 'wide')) await withMembership(api, list.items)
  io.out(formatGet(t.kind, list, t.format, { ...tableOpts, single: t.name !== undefined }))
  if (list.items.length === 0 && (t.format === 'table' || t.format === 'wide')) io.err(noneFound(t.kind, t.namespace) + '\n')
}

/** Prints the current objects, then one line (or document) per change until the stream is ended. */
async function watch(api: ApiClient, t: Target, flags: GetFlags, first: ListLike, io: CliIo): Promise<void> {
  const printer = new WatchPrinter(t.kind, t.format, { allNamespaces: flags.allNamespaces === true, now: io.now() }, io.out)
  printer.print(first.items, io.now())
  let rv = str(at(first, 'metadata', 'resourceVersion')) ?? '0'
  const reveal = flags.showSecrets && t.kind.kind === 'Secret' ? 'true' : undefined
  // History older than the node keeps (410 Gone, or an ERROR line after a snapshot): list again, go on from there.
  const relist = async () => {
    const fresh = await fetchList(api, t, flags)
    rv = str(at(fresh, 'metadata', 'resourceVersion')) ?? rv
    printer.print(fresh.items, io.now())
  }
  while (!io.signal?.aborted) {
    const path = apiPath('/v1/watch', { kind: t.kind.plural, resourceVersion: rv, namespace: t.namespace, labelSelector: flags.selector, reveal })
    try {
      let expired = false
      let tooSlow = false
      for await (const line of api.lines(path, io.signal)) {
        const ev = rec(line)
        const o = rec(ev.object)
        if (ev.type === 'ERROR') {
          // Cut off for falling behind: watch again at once from the last version printed.
          if (str(o.reason) === 'TooSlow') {
            tooSlow = true
            break
          }
          if (num(o.code) !== 410) throw new ApiError(`the watch failed: ${str(o.message) ?? JSON.stringify(o)}`, num(o.code) ?? 0, str(o.reason) ?? 'Unknown')
          expired = true
          break
        }
        rv = meta(o).resourceVersion ?? rv
        if (ev.type === 'BOOKMARK' || (t.name && meta(o).name !== t.name)) continue
        printer.print([o], io.now())
      }
      if (expired) {
        await relist()
        continue
      }
      if (tooSlow) continue
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'Gone') throw err
      await relist()
      continue
    }
    // The agent ended the stream (restart, leadership change): resume from the last version seen.
    await delay(1_000, undefined, io.signal ? { signal: io.signal } : {}).catch(() => undefined)
  }
}
