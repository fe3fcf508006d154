// Host ports: two pods conflict on a node when protocol and port are equal and their addresses
// overlap. An absent, empty or 0.0.0.0 hostIP means every address, so it overlaps with any IP.
import type { HostPort } from './types.js'

/** Per node: 'TCP/8080' -> the hostIPs in use ('' stands for every address). */
export type PortTable = Map<string, string[]>

export function portKey(p: HostPort): string {
  return `${p.protocol}/${p.hostPort}`
}

export function normalizeIP(ip: string | undefined): string {
  return ip === undefined || ip === '0.0.0.0' ? '' : ip
}

/** The ports that count: hostPort 0 is not a host port. */
export function usedPorts(ports: readonly HostPort[]): readonly HostPort[] {
  return ports.every((p) => p.hostPort !== 0) ? ports : ports.filter((p) => p.hostPort !== 0)
}

export function portConflicts(table: PortTable, wanted: readonly HostPort[]): boolean {
  for (const p of wanted) {
    const ips = table.get(portKey(p))
    if (ips === undefined || ips.length === 0) continue
    const ip = normalizeIP(p.hostIP)
    if (ip === '') return true
    for (const other of ips) if (other === '' || other === ip) return true
  }
  return false
}

export function addPorts(table: PortTable, ports: readonly HostPort[]): void {
  for (const p of ports) {
    const key = portKey(p)
    const ips = table.get(key)
    if (ips === undefined) table.set(key, [normalizeIP(p.hostIP)])
    else ips.push(normalizeIP(p.hostIP))
  }
}
