// `agent describe KIND NAME`: one object as a readable, multi-section view.
import { age } from './cli-age.js'
import type { ClientFlags } from './cli-client.js'
import { describeConfigMap, describeNode, describeSecret, describeService } from './cli-describe-other.js'
import { describeDeployment, describePod } from './cli-describe-workloads.js'
import { DescribeWriter } from './cli-describe-writer.js'
import { withEndpoints, withMembership } from './cli-live-fields.js'
import { ApiClient, apiPath } from './client.js'
import { parseKindArgs, type KindInfo } from './cli-kinds.js'
import { meta, type Json } from './cli-object.js'
import { UsageError } from './errors.js'
import { processIo, type CliIo } from './cli-io.js'

export interface DescribeFlags extends ClientFlags {
  readonly namespace: string
  readonly stale?: boolean
}

const BY_KIND: Readonly<Record<string, (w: DescribeWriter, o: Json, now: number) => void>> = {
  Pod: describePod,
  Deployment: describeDeployment,
  Service: describeService,
  Node: describeNode,
  ConfigMap: describeConfigMap,
  Secret: describeSecret,
}

function labelLines(m: Readonly<Record<string, string>>): string {
  return Object.entries(m)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')
}

/** The whole view: what every object has (name, labels, created, version), then the kind's own sections. */
export function renderDescribe(kind: KindInfo, o: Json, now: number): string {
  const m = meta(o)
  const w = new DescribeWriter()
  w.field('Name', m.name)
  if (kind.namespaced) w.field('Namespace', m.namespace)
  w.field('Labels', labelLines(m.labels))
  w.field('Annotations', labelLines(m.annotations))
  w.field('Created', m.creationTimestamp ? `${m.creationTimestamp} (${age(m.creationTimestamp, now)} ago)` : undefined)
  w.field('UID', m.uid)
  w.field('Resource Version', m.resourceVersion)
  if (m.generation !== undefined) w.field('Generation', m.generation)
  BY_KIND[kind.kind]?.(w, o, now)
  return w.render()
}

export async function describeCommand(kindArg: string, nameArg: string | undefined, flags: DescribeFlags, io: CliIo = processIo): Promise<void> {
  const { kind, name } = parseKindArgs(kindArg, nameArg)
  if (!name) throw new UsageError(`describe needs a name: agent describe ${kind.plural.replace(/s$/, '')} NAME (list them with \`agent get ${kind.plural}\`)`)
  const namespace = kind.namespaced ? flags.namespace : undefined
  // A Secret is fetched revealed only to measure its values; describe prints their sizes, never them.
  const reveal = kind.kind === 'Secret' ? 'true' : undefined
  const api = new ApiClient(flags)
  const o = await api.request<Json>('GET', apiPath(`/v1/${kind.plural}/${encodeURIComponent(name)}`, { namespace, reveal, stale: flags.stale ? 'true' : undefined }))
  if (kind.kind === 'Service') await withEndpoints(api, o, namespace)
  if (kind.kind === 'Node') await withMembership(api, [o])
  io.out(renderDescribe(kind, o, io.now()))
}
