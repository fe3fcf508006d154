import type { Logger } from 'pino'
import type { Mesh } from '../net/index.js'
import { encode } from '../raft/codec.js'
import type { RaftDriver } from '../raft/driver.js'
import type { ConfChange, NodeId } from '../raft/types.js'
import type { Command } from '../state/commands.js'
import type { ClusterState } from '../state/cluster-state.js'
import type { WriteOutcome } from '../state/store.js'
import { ApiFailure } from './api/errors.js'

export interface Proposed {
  readonly index: number
  /** The command's outcome as applied (undefined for commands without one, such as member info). */
  readonly outcome: WriteOutcome | undefined
}

/** How the leader answers a forwarded proposal: never a thrown error, so the hint survives the wire. */
export type ForwardReply =
  | { readonly ok: true; readonly index: number; readonly outcome: WriteOutcome | undefined }
  | { readonly ok: false; readonly error: 'notLeader'; readonly leader: NodeId }
  | { readonly ok: false; readonly error: 'retry'; readonly message: string }
  | { readonly ok: false; readonly error: 'indeterminate'; readonly message: string }

export interface ProposeOptions {
  /** How long to keep trying, elections included. Default 10 s. */
  readonly timeoutMs?: number
  /** Stops the retries (an AbortSignal, or the API's cheaper flag for a client that went away). */
  readonly signal?: { readonly aborted: boolean }
}

const RETRY_MS = 25

/**
 * Gets a command committed from any node: proposed here when this node leads, otherwise forwarded to the
 * leader over the mesh. During an election it waits (bounded). It never reports a false outcome: when the
 * command may or may not have been committed, it fails with the Indeterminate code.
 */
export class Proposer {
  constructor(
    private readonly id: NodeId,
    private readonly driver: RaftDriver,
    private readonly mesh: Mesh,
    private readonly state: ClusterState,
    private readonly log: Logger,
  ) {}

  async propose(cmd: Command, opts: ProposeOptions = {}): Promise<Proposed> {
    const data = encode(cmd)
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000)
    let lastProblem = 'no leader is known'
    while (Date.now() < deadline) {
      if (opts.signal?.aborted) throw new ApiFailure('Timeout', 'the client went away')
      const leader = this.driver.status().leader
      if (leader === '') {
        await sleep(RETRY_MS)
        continue
      }
      const reply = leader === this.id ? await this.proposeHere(data, deadline - Date.now()) : await this.forward(leader, data, deadline - Date.now())
      if (reply.ok) {
        // Reads on this node right after the write must see it.
        await this.state.waitApplied(reply.index)
        return { index: reply.index, outcome: reply.outcome }
      }
      if (reply.error === 'indeterminate') throw new ApiFailure('Indeterminate', undefined, { reason: reply.message })
      lastProblem = reply.error === 'notLeader' ? `the leader changed` : reply.message
      await sleep(RETRY_MS)
    }
    throw new ApiFailure('NoLeader', `no leader accepted the write within the time limit (${lastProblem}); retry`)
  }

  /** The leader side: propose, wait for the entry to apply, and report its outcome. */
  async proposeHere(data: Uint8Array, timeoutMs: number): Promise<ForwardReply> {
    let committed
    try {
      committed = await this.driver.propose(data, { timeoutMs: Math.max(1, timeoutMs) })
    } catch (err) {
      return classify(err)
    }
    return { ok: true, index: committed.index, outcome: this.state.takeOutcome(committed.index) }
  }

  /** Conf changes go through the leader too; refusals while another change is pending are retried. */
  async proposeConfChange(cc: ConfChange, timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      try {
        return (await this.driver.proposeConfChange(cc, { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) })).index
      } catch (err) {
        const name = (err as Error).name
        const retriable = name === 'ProposalRejectedError' && (err as { reason?: string }).reason === 'confChangePending'
        if (!retriable || Date.now() > deadline) throw err
        await sleep(50)
      }
    }
  }

  private async forward(leader: NodeId, data: Uint8Array, timeoutMs: number): Promise<ForwardReply> {
    try {
      return (await this.mesh.call(leader, 'propose', { data }, { timeoutMs: Math.max(1, timeoutMs) })) as ForwardReply
    } catch (err) {
      const name = (err as Error).name
      // Not sent at all: safe to retry. Sent but unanswered: the leader may have committed it.
      if (name === 'PeerUnreachableError' || name === 'WrongTokenError' || name === 'MeshNotStartedError') {
        return { ok: false, error: 'retry', message: `the leader is unreachable (${(err as Error).message})` }
      }
      this.log.debug({ err, leader }, 'forwarded write: outcome unknown')
      return { ok: false, error: 'indeterminate', message: `the leader did not answer (${name})` }
    }
  }
}

function classify(err: unknown): ForwardReply {
  const e = err as Error & { leader?: string; reason?: string }
  switch (e.name) {
    case 'NotLeaderError':
      return { ok: false, error: 'notLeader', leader: e.leader ?? '' }
    case 'ProposalRejectedError':
    case 'ProposalDroppedError':
      // Never appended, or overwritten by another entry: it did not commit.
      return { ok: false, error: 'retry', message: e.message }
    default:
      // Timeouts, a stopped driver, a snapshot over the index: it may still commit.
      return { ok: false, error: 'indeterminate', message: e.message }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
