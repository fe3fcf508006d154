import { readClusterFile, dataDirPaths } from './data-dir.js'
import { ApiClient } from './client.js'
import { StartupError } from './errors.js'
import type { StatusView } from './status-view.js'
import { formatTable, shortId } from './table.js'

export interface ClientFlags {
  readonly server: string
  readonly apiToken?: string
}

export function clientFor(flags: ClientFlags): ApiClient {
  return new ApiClient(flags)
}

export async function statusCommand(flags: ClientFlags & { output: 'table' | 'json' }): Promise<void> {
  const status = await clientFor(flags).request<StatusView>('GET', '/v1/status')
  process.stdout.write((flags.output === 'json' ? JSON.stringify(status, null, 2) : formatStatus(status)) + '\n')
}

export function formatStatus(s: StatusView): string {
  const leader = s.leader ? `${s.leader.name} (${shortId(s.leader.id)})` : '<none>'
  const head = [
    `Node:     ${s.node.name} (${s.node.id})`,
    `Role:     ${s.node.raftRole}, ${s.node.membership}`,
    `Leader:   ${leader}`,
    `Term:     ${s.term}`,
    `Commit:   ${s.commit}`,
    `Applied:  ${s.applied}`,
    '',
  ].join('\n')
  const rows = s.members.map((m) => [
    m.name + (m.leader ? ' *' : ''),
    shortId(m.id),
    m.address,
    m.role,
    m.reachable === null ? '?' : m.reachable ? 'yes' : 'no',
    m.lag === null ? '?' : String(m.lag),
  ])
  return head + formatTable(['name', 'id', 'address', 'role', 'reachable', 'lag'], rows)
}

export async function tokenCommand(flags: { dataDir: string; api?: boolean }): Promise<void> {
  const file = await readClusterFile(dataDirPaths(flags.dataDir))
  if (!file) throw new StartupError(`no cluster in ${flags.dataDir}: run \`agent start\` or \`agent join\` first, or point --data-dir at the node's data dir`)
  process.stdout.write((flags.api ? file.apiToken : file.joinToken) + '\n')
}
