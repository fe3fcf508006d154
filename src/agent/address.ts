import { isIP } from 'node:net'
import { UsageError } from './errors.js'

export interface HostPort {
  readonly host: string
  readonly port: number
}

/** Parses `host:port`, `:port`, `[v6]:port` or `host` (with defaultPort). */
export function parseHostPort(text: string, defaultPort: number, what: string): HostPort {
  const s = text.trim()
  let host = s
  let portText: string | undefined
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s)
  if (v6) {
    host = v6[1]!
    portText = v6[2]
  } else if (s.includes(':') && isIP(s) !== 6) {
    const i = s.lastIndexOf(':')
    host = s.slice(0, i)
    portText = s.slice(i + 1)
  }
  if (host === '') host = '0.0.0.0'
  const port = portText === undefined ? defaultPort : Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`${what} "${text}": the port must be a number from 0 to 65535 (for example 127.0.0.1:${defaultPort})`)
  }
  return { host, port }
}

export function formatHostPort(a: HostPort): string {
  return isIP(a.host) === 6 ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`
}

/** The libp2p TCP multiaddr of a host:port; names resolve through DNS. */
export function toMultiaddr(a: HostPort): string {
  const kind = isIP(a.host) === 6 ? 'ip6' : isIP(a.host) === 4 ? 'ip4' : 'dns'
  return `/${kind}/${a.host}/tcp/${a.port}`
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.')
}

/** `host:port` of a TCP multiaddr (`/ip4/1.2.3.4/tcp/7000/p2p/…`), or the multiaddr itself when it is not one. */
export function multiaddrHostPort(addr: string): string {
  const m = /^\/(?:ip4|ip6|dns|dns4|dns6)\/([^/]+)\/tcp\/(\d+)/.exec(addr)
  if (!m) return addr
  return formatHostPort({ host: m[1]!, port: Number(m[2]) })
}
