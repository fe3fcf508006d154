// Errors of the Raft core. Expected conditions get named errors; tests match on `name`, never on message text.

/** The requested index is below the storage's first index: it was compacted into a snapshot. */
export class CompactedError extends Error {
  override readonly name = 'CompactedError'
  constructor(readonly index: number, readonly firstIndex: number) {
    super(`index ${index} is compacted (first index ${firstIndex})`)
  }
}

/** The requested index is beyond the storage's last index. */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError'
  constructor(readonly index: number, readonly lastIndex: number) {
    super(`index ${index} is unavailable (last index ${lastIndex})`)
  }
}

/** A snapshot older than the one already held was offered. */
export class SnapshotOutOfDateError extends Error {
  override readonly name = 'SnapshotOutOfDateError'
  constructor(readonly index: number, readonly current: number) {
    super(`snapshot at ${index} is older than the current snapshot at ${current}`)
  }
}

/** Compaction past the latest snapshot would lose entries no snapshot covers. */
export class CompactionError extends Error {
  override readonly name = 'CompactionError'
  constructor(readonly index: number, readonly snapshotIndex: number) {
    super(`cannot compact to ${index}: the latest snapshot is at ${snapshotIndex}`)
  }
}

/** The configuration handed to RawNode or to storage is inconsistent (programming error at start-up). */
export class RaftConfigError extends Error {
  override readonly name = 'RaftConfigError'
}

/** An internal invariant of the log broke: a bug, never caused by a message from the network. */
export class LogInvariantError extends Error {
  override readonly name = 'LogInvariantError'
}

export function isStorageRangeError(e: unknown): boolean {
  return e instanceof Error && (e.name === 'CompactedError' || e.name === 'UnavailableError')
}
