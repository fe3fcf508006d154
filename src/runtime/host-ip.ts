// The node's address for pod statuses (status.hostIP): the agent's advertise or listen host when that
// is an address, else the first external IPv4 address of this machine, else 127.0.0.1.
import { isIP } from 'node:net'
import { networkInterfaces } from 'node:os'

export function nodeHostIP (host: string | undefined, interfaces = networkInterfaces()): string {
  if (host !== undefined && isIP(host) !== 0 && host !== '0.0.0.0' && host !== '::') return host
  if (host === 'localhost') return '127.0.0.1'
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
  }
  return '127.0.0.1'
}
