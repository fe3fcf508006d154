// The agent flags of the service layer: --publish-address (NodePort listeners), --service-address (where
// pods reach services: every service port's listener and the DNS A records), --dns-address (the DNS
// responder, or `off`), --balance, --mesh-spares. Defaults depend on the runtime, so that pods can reach the address.
import { isIP } from 'node:net'
import { networkInterfaces } from 'node:os'
import type { Balance } from './picker.js'

export class ServiceFlagError extends Error {
  static override readonly name = 'ServiceFlagError'
  override readonly name = 'ServiceFlagError'
}

export interface ServiceFlags {
  readonly publishAddress?: string
  readonly serviceAddress?: string
  readonly dnsAddress?: string
  readonly balance?: string
  readonly meshSpares?: string
}

export interface ServiceOptions {
  readonly publishAddress: string
  /** Absent: chosen from the runtime (serviceAddressFor). */
  readonly serviceAddress?: string
  /** host:port; `off` disables; absent: the service address at port 53. */
  readonly dns?: { readonly host: string; readonly port: number } | 'off'
  readonly balance: Balance
  /** A spare connection kept open to each endpoint in use (spares.ts). */
  readonly spares: boolean
}

function ipv4(flag: string, text: string): string {
  if (isIP(text) !== 4) throw new ServiceFlagError(`${flag} "${text}": must be an IPv4 address (e.g. 0.0.0.0 or 10.0.0.5)`)
  return text
}

export function serviceOptions(flags: ServiceFlags): ServiceOptions {
  const balance = flags.balance ?? 'round-robin'
  if (balance !== 'round-robin' && balance !== 'least-connections') throw new ServiceFlagError(`--balance "${balance}": must be round-robin or least-connections`)
  const spares = flags.meshSpares ?? 'on'
  if (spares !== 'on' && spares !== 'off') throw new ServiceFlagError(`--mesh-spares "${spares}": must be on or off`)
  return {
    publishAddress: ipv4('--publish-address', flags.publishAddress ?? '0.0.0.0'),
    ...(flags.serviceAddress ? { serviceAddress: ipv4('--service-address', flags.serviceAddress) } : {}),
    ...(flags.dnsAddress ? { dns: parseDns(flags.dnsAddress) } : {}),
    balance,
    spares: spares === 'on',
  }
}

function parseDns(text: string): ServiceOptions['dns'] {
  if (text === 'off') return 'off'
  const m = /^([\d.]+)(?::(\d+))?$/.exec(text)
  const port = Number(m?.[2] ?? 53)
  if (!m || isIP(m[1]!) !== 4 || !Number.isInteger(port) || port < 1 || port > 65535) throw new ServiceFlagError(`--dns-address "${text}": must be HOST[:PORT] with an IPv4 host (e.g. 172.17.0.1:53), or off`)
  return { host: m[1]!, port }
}

/** The Docker bridge's address on this host (docker0), where containers on the default bridge reach it. */
export function dockerBridgeAddress(): string | undefined {
  return networkInterfaces().docker0?.find((a) => a.family === 'IPv4')?.address
}

/**
 * Where this agent's pods reach services: the flag; else the Docker bridge gateway for Docker pods, or
 * loopback for process pods (they share the host's network). Pure given the host's interfaces, so the
 * pod environment and the listeners agree.
 */
export function serviceAddressFor(runtime: string | undefined, flag: string | undefined): string | undefined {
  if (flag) return flag
  if (runtime === 'docker') return dockerBridgeAddress() ?? '172.17.0.1'
  if (runtime === 'process' || runtime === 'fake') return '127.0.0.1'
  return undefined
}

/** Port 53 needs root: without it the responder is off unless --dns-address says where. */
export function dnsAddressFor(serviceAddress: string | undefined, flag: ServiceOptions['dns'], isRoot = process.getuid?.() === 0): { host: string; port: number } | undefined {
  if (flag === 'off') return undefined
  if (flag) return flag
  return serviceAddress !== undefined && isRoot ? { host: serviceAddress, port: 53 } : undefined
}

/** The resolver Docker pods get: this agent's service DNS, when it answers on port 53 where pods reach it. */
export function podResolverFor(runtime: string | undefined, opts: ServiceOptions | undefined): string | undefined {
  if (runtime !== 'docker') return undefined
  const dns = dnsAddressFor(serviceAddressFor(runtime, opts?.serviceAddress), opts?.dns)
  return dns && dns.port === 53 ? dns.host : undefined
}
