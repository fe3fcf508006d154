// Counters of what the net layer did and dropped; the agent exports them as metrics.

/** Why an inbound frame was dropped. */
export type FrameDropReason = 'oversize' | 'undecodable' | 'invalid' | 'spoofed'

/** Why an outbound message was dropped before reaching the wire. */
export type SendDropReason = 'noRoute' | 'queueFull' | 'oversize' | 'unencodable'

export interface NetCounters {
  readonly droppedFrames: Record<FrameDropReason, number>
  readonly droppedSends: Record<SendDropReason, number>
  /** Raft messages delivered to onMessage handlers. */
  messagesIn: number
  /** Raft messages written to a stream. */
  messagesOut: number
  /** Writes to Raft streams (each carries one or more frames). */
  batchesOut: number
  dialFailures: number
  /** Connections (either direction) refused because the remote holds another join token. */
  wrongToken: number
}

export function newCounters (): NetCounters {
  return {
    droppedFrames: { oversize: 0, undecodable: 0, invalid: 0, spoofed: 0 },
    droppedSends: { noRoute: 0, queueFull: 0, oversize: 0, unencodable: 0 },
    messagesIn: 0,
    messagesOut: 0,
    batchesOut: 0,
    dialFailures: 0,
    wrongToken: 0
  }
}
