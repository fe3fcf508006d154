import type { Logger } from 'pino'
import type { Mesh } from '../net/index.js'
import type { NodeId } from '../raft/types.js'
import type { MemberInfo, Member } from '../state/members.js'
import { StartupError } from './errors.js'
import { sleep } from './proposer.js'

export interface JoinRequest {
  readonly id: NodeId
  readonly info: MemberInfo
}

export interface JoinReply {
  readonly leader: NodeId
  readonly members: readonly Member[]
  readonly apiToken: string
}

/**
 * The joiner's side: dial the peer (its id is not known yet), ask it to add us, retrying while the
 * cluster elects a leader. A wrong token fails at once: the private network refuses the handshake.
 */
export async function requestJoin(mesh: Mesh, peerAddr: string, req: JoinRequest, log: Logger, timeoutMs = 60_000): Promise<JoinReply> {
  const deadline = Date.now() + timeoutMs
  let attempt = 0
  for (;;) {
    attempt++
    try {
      const { peerId } = await mesh.connect(peerAddr, { signal: AbortSignal.timeout(5_000) })
      return (await mesh.call(peerId, 'join', req, { timeoutMs: 15_000 })) as JoinReply
    } catch (err) {
      const e = err as Error
      if (e.name === 'WrongTokenError') {
        throw new StartupError(`${peerAddr} refused the connection: the join token does not match its cluster's. Get the right one with \`agent token\` on a member`)
      }
      if (e.name === 'NameTakenError') throw new StartupError(`cannot join: ${e.message}`)
      if (e.name === 'InvalidAddressError') throw new StartupError(`cannot join through "${peerAddr}": ${e.message}`)
      if (Date.now() > deadline) {
        throw new StartupError(`could not join through ${peerAddr} after ${attempt} attempts: ${e.message}. Check that an agent runs there and that its mesh port is reachable`)
      }
      log.warn({ err: e.message, peer: peerAddr, attempt }, 'join: not yet; retrying')
      await sleep(Math.min(2_000, 200 * attempt))
    }
  }
}
