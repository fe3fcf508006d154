// Addresses as users type them (`10.0.0.5:7000`, `[fd00::1]:7000`, `node3.lan:7000`) or as multiaddrs.
import { isIPv4, isIPv6 } from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import { InvalidAddressError } from './errors.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Parses a multiaddr (starting with '/') or host:port into a TCP multiaddr. A missing port takes defaultPort. */
export function parseAddress (s: string, defaultPort?: number): Multiaddr {
  const text = s.trim()
  if (text.startsWith('/')) {
    try {
      return multiaddr(text)
    } catch (err) {
      throw new InvalidAddressError(`invalid multiaddr "${s}": ${(err as Error).message}`)
    }
  }
  const { host, port } = splitHostPort(text, defaultPort, s)
  if (isIPv4(host)) return multiaddr(`/ip4/${host}/tcp/${port}`)
  if (isIPv6(host)) return multiaddr(`/ip6/${host}/tcp/${port}`)
  if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host)) throw new InvalidAddressError(`invalid host in address "${s}"`)
  return multiaddr(`/dns/${host}/tcp/${port}`)
}

function splitHostPort (text: string, defaultPort: number | undefined, original: string): { host: string, port: number } {
  let host: string
  let portText: string | undefined
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text)
  if (bracketed !== null) {
    host = bracketed[1] as string
    portText = bracketed[2]
  } else if (isIPv6(text)) {
    host = text
  } else {
    const i = text.lastIndexOf(':')
    host = i < 0 ? text : text.slice(0, i)
    portText = i < 0 ? undefined : text.slice(i + 1)
  }
  if (host === '') throw new InvalidAddressError(`missing host in address "${original}"`)
  if (portText === undefined) {
    if (defaultPort === undefined) throw new InvalidAddressError(`missing port in address "${original}"`)
    return { host, port: defaultPort }
  }
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65535) throw new InvalidAddressError(`invalid port in address "${original}"`)
  return { host, port }
}

/** The address with any /p2p/<id> suffix removed. */
export function withoutPeerId (ma: Multiaddr): Multiaddr {
  const s = ma.toString()
  const i = s.indexOf('/p2p/')
  return i < 0 ? ma : multiaddr(s.slice(0, i))
}

/** The /p2p/<id> of an address, if it has one. */
export function peerIdOfAddress (ma: Multiaddr): string | undefined {
  const m = /\/p2p\/([^/]+)/.exec(ma.toString())
  return m?.[1]
}
