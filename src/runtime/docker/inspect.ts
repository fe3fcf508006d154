// Reading a container's inspect data: its exit and its start time, as the supervisors want them.
import type Docker from 'dockerode'
import type { ContainerExit } from '../driver.js'

const ZERO_TIME = '0001-01-01T00:00:00Z'

function ms (t: string | undefined): number | undefined {
  if (t === undefined || t === '' || t.startsWith('0001-')) return undefined
  const v = Date.parse(t)
  return Number.isNaN(v) ? undefined : v
}

export function startedAtOf (info: Docker.ContainerInspectInfo): number {
  return ms(info.State.StartedAt) ?? Date.parse(info.Created)
}

export function exitOf (info: Docker.ContainerInspectInfo): ContainerExit {
  const s = info.State
  const exitCode = s.ExitCode
  const reason = s.OOMKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error'
  const startedAt = ms(s.StartedAt)
  return {
    exitCode,
    reason,
    ...(s.Error !== '' ? { message: s.Error } : {}),
    ...(startedAt !== undefined ? { startedAt } : {}),
    finishedAt: ms(s.FinishedAt === ZERO_TIME ? undefined : s.FinishedAt) ?? Date.now(),
  }
}

/** The pod IP: the infra container's address on the default bridge (or its first network). */
export function podIPOf (info: Docker.ContainerInspectInfo): string | undefined {
  const nets = info.NetworkSettings.Networks ?? {}
  const bridge = nets.bridge?.IPAddress
  if (bridge !== undefined && bridge !== '') return bridge
  for (const n of Object.values(nets)) if (n.IPAddress !== '') return n.IPAddress
  return undefined
}
