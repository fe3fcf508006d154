import type { NodeId } from '../raft/types.js'
import type { Member } from '../state/members.js'
import { multiaddrHostPort } from './address.js'
import { shortId } from './table.js'

/** Another member holds the name a node asked to join with. Travels to the joiner by this name. */
export class NameTakenError extends Error {
  static override readonly name = 'NameTakenError'
  override readonly name = 'NameTakenError'
}

/**
 * What the leader does with a join's name: `free`, no other member has it (or the joiner is that member,
 * resuming with its own id); `takeOver`, the member holding it has been silent for longer than the grace
 * period, so it is removed before the joiner is added; `refuse`, with a message saying what to do.
 */
export type NameDecision = { readonly kind: 'free' } | { readonly kind: 'takeOver'; readonly holder: Member } | { readonly kind: 'refuse'; readonly message: string }

export interface NameCheckInput {
  readonly joiner: NodeId
  readonly name: string
  readonly members: readonly Member[]
  /** How long the leader has not heard from a member; undefined when it cannot tell (not the leader, unknown member). */
  readonly silentForMs: (id: NodeId) => number | undefined
  /** Silence after which a member's name can be taken over: the voter grace period. */
  readonly graceMs: number
  /** Heard from within this long: the member is up. */
  readonly upWithinMs: number
}

export function decideJoinName(input: NameCheckInput): NameDecision {
  const holder = input.members.find((m) => m.name === input.name && m.id !== input.joiner)
  if (!holder) return { kind: 'free' }
  const silent = input.silentForMs(holder.id)
  if (silent !== undefined && silent > input.graceMs) return { kind: 'takeOver', holder }
  const who = `the name "${input.name}" is taken by member ${shortId(holder.id)} (${holder.addrs.map(multiaddrHostPort).join(', ') || 'no address'})`
  if (silent === undefined || silent <= input.upWithinMs) {
    return { kind: 'refuse', message: `${who}, which is up. Choose another --name, or stop that node and run \`agent leave\` on it` }
  }
  const wait = Math.ceil((input.graceMs - silent) / 1000)
  return {
    kind: 'refuse',
    message: `${who}, which has not answered for ${Math.round(silent / 1000)} s. If that machine is gone for good, join again in ${wait} s (after --voter-grace of silence its name is handed over); else choose another --name`,
  }
}
