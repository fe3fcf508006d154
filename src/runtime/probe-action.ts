// The three probe actions: httpGet (2xx/3xx passes), tcpSocket (a connection opens), exec (exit 0).
// httpGet and tcpSocket go from the agent to the pod's address; exec goes through the runtime.
import { request } from 'node:http'
import { connect } from 'node:net'
import type { Container, IntOrString, Probe } from '../resources/index.js'
import { ContainerConfigError } from './errors.js'

export interface ProbeTarget {
  /** Where httpGet and tcpSocket connect when the probe names no host: the pod IP, or 127.0.0.1. */
  readonly host: string
  readonly container: Container
  /** Runs a command in the container; resolves with its exit code, rejects on timeout. */
  exec(command: readonly string[], timeoutMs: number): Promise<number>
}

/** A probe port: a number, or the name of one of the container's ports. */
export function resolvePort (port: IntOrString, container: Container): number {
  if (typeof port === 'number') return port
  if (/^\d+$/.test(port)) return Number(port)
  const named = container.ports?.find(p => p.name === port)
  if (named === undefined) throw new ContainerConfigError(`probe port ${JSON.stringify(port)} names no port of container ${container.name}`)
  return named.containerPort
}

/** Runs one probe; true means it passed. Timeouts, refused connections and bad statuses are failures. */
export async function runProbe (probe: Probe, target: ProbeTarget): Promise<boolean> {
  const timeoutMs = probe.timeoutSeconds * 1000
  try {
    if (probe.httpGet !== undefined) {
      const g = probe.httpGet
      const headers = Object.fromEntries((g.httpHeaders ?? []).map(h => [h.name, h.value]))
      return await httpProbe(g.host ?? target.host, resolvePort(g.port, target.container), g.path, headers, timeoutMs)
    }
    if (probe.tcpSocket !== undefined) {
      return await tcpProbe(probe.tcpSocket.host ?? target.host, resolvePort(probe.tcpSocket.port, target.container), timeoutMs)
    }
    if (probe.exec !== undefined) return (await target.exec(probe.exec.command, timeoutMs)) === 0
  } catch {
    return false
  }
  return false
}

export function httpProbe (host: string, port: number, path: string, headers: Record<string, string>, timeoutMs: number): Promise<boolean> {
  return new Promise(resolve => {
    const req = request({ host, port, path, method: 'GET', headers: { 'user-agent': 'podmesh-probe/1', ...headers }, timeout: timeoutMs, agent: false }, res => {
      const status = res.statusCode ?? 0
      res.resume()
      resolve(status >= 200 && status < 400)
    })
    req.on('timeout', () => { req.destroy(); resolve(false) })
    req.on('error', () => resolve(false))
    req.end()
  })
}

export function tcpProbe (host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect({ host, port })
    const done = (ok: boolean): void => { socket.destroy(); resolve(ok) }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}
