/** The data dir holds a log Raft cannot trust. Nothing was loaded: a partial log would be worse than none. */
export class CorruptStoreError extends Error {
  static override name = 'CorruptStoreError'
  override name = 'CorruptStoreError'
  constructor(
    readonly dir: string,
    readonly problem: string,
  ) {
    super(
      `corrupt raft store in ${dir}: ${problem}. ` +
        "Restore this node's data dir from backup, or remove it and re-join the cluster with `agent join`.",
    )
  }
}

/** The store was used after close(). */
export class StoreClosedError extends Error {
  static override name = 'StoreClosedError'
  override name = 'StoreClosedError'
  constructor(readonly dir: string) {
    super(`raft store ${dir} is closed`)
  }
}
