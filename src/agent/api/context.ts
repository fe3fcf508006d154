import type { Command } from '../../state/commands.js'
import type { ClusterState } from '../../state/cluster-state.js'
import type { SecretBox } from '../../state/secret-box.js'
import type { Proposed } from '../proposer.js'
import type { Cancellation } from './server.js'

/**
 * Exactly what the object routes use: the applied state, a way to get a command committed, a linearizable
 * read barrier, and the cluster's secret key. The agent provides them; in-process tests provide a fake log.
 */
export interface ObjectApiDeps {
  readonly state: ClusterState
  readonly secrets: SecretBox
  /** Commits a command through the leader (throws ApiFailure NoLeader / Indeterminate / Timeout). */
  propose(cmd: Command, opts?: { readonly signal?: Cancellation }): Promise<Proposed>
  /** Resolves once this node has applied everything committed before the call (throws ApiFailure NoLeader). */
  readBarrier(): Promise<void>
  /** The proposer's clock: creation timestamps travel in the command. */
  now(): Date
  newUid(): string
}
