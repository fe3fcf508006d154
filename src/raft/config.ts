// RaftConfig with every default applied and checked once, at construction.
import type { RaftConfig, RaftEvent } from './api.js'
import { RaftConfigError } from './errors.js'
import type { Rand } from './rand.js'
import type { NodeId, Storage } from './types.js'

export interface ResolvedConfig {
  readonly id: NodeId
  readonly storage: Storage
  readonly rand: Rand
  readonly electionTick: number
  readonly heartbeatTick: number
  readonly preVote: boolean
  readonly checkQuorum: boolean
  readonly maxSizePerMsg: number
  readonly maxInflightMsgs: number
  readonly maxInflightBytes: number
  readonly maxSnapshotChunkBytes: number
  readonly maxCommittedSizePerReady: number
  readonly applied: number | undefined
  readonly onEvent: (event: RaftEvent) => void
}

const MiB = 1024 * 1024

function positiveInt(name: string, v: number): number {
  if (!Number.isSafeInteger(v) || v < 1) throw new RaftConfigError(`${name} must be a positive integer, got ${v}`)
  return v
}

export function resolveConfig(cfg: RaftConfig): ResolvedConfig {
  if (typeof cfg.id !== 'string' || cfg.id === '') throw new RaftConfigError('id must be a non-empty string')
  const electionTick = positiveInt('electionTick', cfg.electionTick ?? 10)
  const heartbeatTick = positiveInt('heartbeatTick', cfg.heartbeatTick ?? 1)
  if (heartbeatTick >= electionTick) throw new RaftConfigError('heartbeatTick must be less than electionTick')
  return {
    id: cfg.id,
    storage: cfg.storage,
    rand: cfg.rand,
    electionTick,
    heartbeatTick,
    preVote: cfg.preVote ?? true,
    checkQuorum: cfg.checkQuorum ?? true,
    maxSizePerMsg: Math.max(0, cfg.maxSizePerMsg ?? MiB),
    maxInflightMsgs: positiveInt('maxInflightMsgs', cfg.maxInflightMsgs ?? 256),
    maxInflightBytes: Math.max(0, cfg.maxInflightBytes ?? 32 * MiB),
    maxSnapshotChunkBytes: positiveInt('maxSnapshotChunkBytes', cfg.maxSnapshotChunkBytes ?? 512 * 1024),
    maxCommittedSizePerReady: Math.max(0, cfg.maxCommittedSizePerReady ?? 64 * MiB),
    applied: cfg.applied,
    onEvent: cfg.onEvent ?? (() => {}),
  }
}
