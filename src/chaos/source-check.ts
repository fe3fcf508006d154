// Partitions cut by source and destination address, so they only work if every agent dials from its
// own address. This reads the kernel's TCP table (/proc/net/tcp) and names mesh connections that
// come from elsewhere (an agent built without the dial-from option dials from 127.0.0.1).

import { readFile } from 'node:fs/promises'

export interface MeshEndpoint {
  readonly host: string
  readonly port: number
}

/** "0B00007F:1F40" -> { host: "127.0.0.11", port: 8000 } (IPv4, little-endian as the kernel prints it). */
export function parseProcAddress(text: string): MeshEndpoint | undefined {
  const m = /^([0-9A-F]{8}):([0-9A-F]{4})$/i.exec(text)
  if (!m) return undefined
  const n = parseInt(m[1]!, 16)
  const host = [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.')
  return { host, port: parseInt(m[2]!, 16) }
}

/** Established connections to a mesh endpoint whose source address is not one of `hosts`. */
export function foreignSources(procNetTcp: string, mesh: readonly MeshEndpoint[], hosts: ReadonlySet<string>): string[] {
  const out: string[] = []
  for (const line of procNetTcp.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/)
    if (cols.length < 4 || cols[3] !== '01') continue // 01: ESTABLISHED
    const local = parseProcAddress(cols[1]!)
    const remote = parseProcAddress(cols[2]!)
    if (!local || !remote) continue
    const toMesh = mesh.some((m) => m.host === remote.host && m.port === remote.port)
    if (toMesh && !hosts.has(local.host)) out.push(`${local.host}:${local.port} -> ${remote.host}:${remote.port}`)
  }
  return out
}

export async function checkDialSources(mesh: readonly MeshEndpoint[], hosts: ReadonlySet<string>): Promise<string[]> {
  try {
    return foreignSources(await readFile('/proc/net/tcp', 'utf8'), mesh, hosts)
  } catch {
    return []
  }
}
