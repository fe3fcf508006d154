// Reads and checks everything a LevelStorage holds. Any doubt about the log is a CorruptStoreError:
// Raft's safety rests on a node never forgetting what it acknowledged, so a partial log must never load.
import type { Level } from 'level'
import { CorruptStoreError } from './level-errors.js'
import { ENTRIES_END, ENTRIES_START, HARD_STATE_KEY, LOG_END_KEY, SNAPSHOT_KEY, entryIndexOf, isEntryKey } from './level-keys.js'
import { BadRecordError, openRecord } from './level-records.js'
import type { Entry, HardState, Snapshot } from './types.js'

export type RawDb = Level<Buffer, Buffer>

export interface StoredState {
  readonly hardState: HardState | undefined
  readonly snapshot: Snapshot | undefined
  /** Every stored entry, in index order; may overlap the snapshot (entries kept for slow followers). */
  readonly entries: Entry[]
  /** The last index as last written; absent in stores written before it was kept. */
  readonly logEnd: number | undefined
}

function readRecord<T>(dir: string, what: string, bytes: Buffer): T {
  try {
    return openRecord<T>(bytes)
  } catch (err) {
    if (err instanceof BadRecordError) throw new CorruptStoreError(dir, `${what}: ${err.problem}`)
    throw err
  }
}

async function readEntries(db: RawDb, dir: string): Promise<Entry[]> {
  const entries: Entry[] = []
  const it = db.iterator({ gte: ENTRIES_START, lt: ENTRIES_END })
  try {
    for (;;) {
      const batch = await it.nextv(1024)
      if (batch.length === 0) break
      for (const [key, value] of batch) entries.push(readEntry(dir, key, value, entries.at(-1)))
    }
  } finally {
    await it.close()
  }
  return entries
}

function readEntry(dir: string, key: Buffer, value: Buffer, prev: Entry | undefined): Entry {
  if (!isEntryKey(key)) throw new CorruptStoreError(dir, `malformed entry key ${key.toString('hex')}`)
  const index = entryIndexOf(key)
  const e = readRecord<Entry>(dir, `entry ${index}`, value)
  if (typeof e !== 'object' || e === null || e.index !== index || typeof e.term !== 'number' || !(e.data instanceof Uint8Array)) {
    throw new CorruptStoreError(dir, `entry ${index}: record does not hold entry ${index}`)
  }
  if (prev && index !== prev.index + 1) throw new CorruptStoreError(dir, `gap in the log: entry ${prev.index} is followed by entry ${index}`)
  if (prev && e.term < prev.term) throw new CorruptStoreError(dir, `entry ${index}: term ${e.term} is below the previous entry's term ${prev.term}`)
  return e
}

function checkLog(dir: string, s: StoredState): void {
  const snapIndex = s.snapshot?.metadata.index ?? 0
  const snapTerm = s.snapshot?.metadata.term ?? 0
  const first = s.entries[0]
  const last = s.entries.at(-1)
  if (first && last) {
    if (first.index > snapIndex + 1) {
      throw new CorruptStoreError(dir, `the log starts at entry ${first.index} but the snapshot ends at ${snapIndex}: entries ${snapIndex + 1}..${first.index - 1} are missing`)
    }
    if (last.index < snapIndex) throw new CorruptStoreError(dir, `the log ends at entry ${last.index}, before the snapshot's index ${snapIndex}`)
    const atSnap = s.entries[snapIndex - first.index]
    if (atSnap && atSnap.term !== snapTerm) {
      throw new CorruptStoreError(dir, `entry ${snapIndex} has term ${atSnap.term} but the snapshot says ${snapTerm}`)
    }
  }
  const lastIndex = Math.max(snapIndex, last?.index ?? 0)
  // Every node learns a term before it stores an entry or a snapshot, and writes both in one batch.
  if (lastIndex > 0 && s.hardState === undefined) throw new CorruptStoreError(dir, `the log holds entries up to ${lastIndex} but no hard state: the term and vote this node stored are lost`)
  if (s.logEnd !== undefined && s.logEnd > lastIndex) {
    throw new CorruptStoreError(dir, `entries up to ${s.logEnd} were written but the log ends at ${lastIndex}: the last ${s.logEnd - lastIndex} are missing`)
  }
  const commit = s.hardState?.commit ?? 0
  if (commit > lastIndex) throw new CorruptStoreError(dir, `hard state commit ${commit} is beyond the last entry ${lastIndex}`)
}

export async function readStoredState(db: RawDb, dir: string): Promise<StoredState> {
  const [hsBytes, snapBytes, endBytes] = await db.getMany([HARD_STATE_KEY, SNAPSHOT_KEY, LOG_END_KEY])
  const hardState = hsBytes ? readRecord<HardState>(dir, 'hard state', hsBytes) : undefined
  const snapshot = snapBytes ? readRecord<Snapshot>(dir, 'snapshot', snapBytes) : undefined
  if (snapshot && (typeof snapshot.metadata?.index !== 'number' || !(snapshot.data instanceof Uint8Array))) {
    throw new CorruptStoreError(dir, 'snapshot: record is not a snapshot')
  }
  const logEnd = endBytes ? readRecord<number>(dir, 'log end', endBytes) : undefined
  if (logEnd !== undefined && !Number.isSafeInteger(logEnd)) throw new CorruptStoreError(dir, 'log end: record is not an index')
  const state: StoredState = { hardState, snapshot, entries: await readEntries(db, dir), logEnd }
  checkLog(dir, state)
  return state
}
