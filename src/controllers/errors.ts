// Expected conditions of the controllers: the queue retries the key with backoff.

/** A write was refused because an object changed since it was read: sync again from the new state. */
export class WriteConflictError extends Error {
  static override readonly name = 'WriteConflictError'
  override readonly name = 'WriteConflictError'
}

/** This node stopped leading: its controllers stop; the new leader's take over. */
export class NotLeaderError extends Error {
  static override readonly name = 'NotLeaderError'
  override readonly name = 'NotLeaderError'
}
