// Message builders for hand-driven tests (fields a test does not care about get neutral values), and seeds.
import type { Entry, Message, MessageType, NodeId } from '../../../src/raft/types.js'

/** The message variant(s) of one type (vote and preVote share VoteRequest). */
export type MessageOf<T extends MessageType> = Message & { readonly type: T }

export function voteReq(from: NodeId, to: NodeId, term: number, lastLogIndex: number, lastLogTerm: number, extra: { type?: 'vote' | 'preVote'; transfer?: boolean } = {}): Message {
  return { type: extra.type ?? 'vote', from, to, term, lastLogIndex, lastLogTerm, transfer: extra.transfer ?? false }
}

export function voteResp(from: NodeId, to: NodeId, term: number, reject = false): Message {
  return { type: 'voteResp', from, to, term, reject }
}

export function app(from: NodeId, to: NodeId, term: number, prevIndex: number, prevTerm: number, entries: readonly Entry[] = [], commit = 0): Message {
  return { type: 'app', from, to, term, prevIndex, prevTerm, entries, commit }
}

export function appResp(from: NodeId, to: NodeId, term: number, index: number, reject = false): Message {
  return { type: 'appResp', from, to, term, index, reject, hintIndex: 0, hintTerm: 0 }
}

export function heartbeat(from: NodeId, to: NodeId, term: number, commit = 0): Message {
  return { type: 'heartbeat', from, to, term, commit, context: new Uint8Array() }
}

export function ofType<T extends MessageType>(ms: readonly Message[], type: T): Array<MessageOf<T>> {
  return ms.filter((m): m is MessageOf<T> => m.type === type)
}

/** Seeds for randomized tests: PAPER_SEED=<n> replays one, PAPER_SEED=<lo>-<hi> explores a range. */
export function seeds(defaults: readonly number[]): number[] {
  const env = process.env['PAPER_SEED'] ?? ''
  const range = /^(\d+)-(\d+)$/.exec(env)
  if (range !== null) {
    const lo = Number(range[1])
    return Array.from({ length: Number(range[2]) - lo + 1 }, (_, i) => lo + i)
  }
  return env !== '' ? [Number(env)] : [...defaults]
}
