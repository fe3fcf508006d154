// Key layout of a LevelStorage database. Keys are bytes; the first byte names the record kind.
// Entry keys carry the index as 8 bytes big-endian, so LevelDB's byte order is index order.

const ENTRY = 0x65 // 'e'
const HARD_STATE = 0x68 // 'h'
const LOG_END = 0x6c // 'l'
const SNAPSHOT = 0x73 // 's'
const FORMAT = 0x76 // 'v'
const META = 0x6d // 'm'

const TWO_32 = 2 ** 32

export const ENTRY_KEY_LENGTH = 9

export function entryKey(index: number): Buffer {
  const key = Buffer.allocUnsafe(ENTRY_KEY_LENGTH)
  key[0] = ENTRY
  key.writeUInt32BE(Math.floor(index / TWO_32), 1)
  key.writeUInt32BE(index >>> 0, 5)
  return key
}

export function isEntryKey(key: Uint8Array): boolean {
  return key.length === ENTRY_KEY_LENGTH && key[0] === ENTRY
}

export function entryIndexOf(key: Buffer): number {
  return key.readUInt32BE(1) * TWO_32 + key.readUInt32BE(5)
}

/** Bounds for iterating every entry key: gte ENTRIES_START, lt ENTRIES_END. */
export const ENTRIES_START: Buffer = Buffer.from([ENTRY])
export const ENTRIES_END: Buffer = Buffer.from([ENTRY + 1])

export const HARD_STATE_KEY: Buffer = Buffer.from([HARD_STATE])
export const SNAPSHOT_KEY: Buffer = Buffer.from([SNAPSHOT])
/**
 * The index of the last entry, written in the batch that changes it. It sorts after every entry key, so
 * a damaged block that loses the newest entries (LevelDB reads skip what they cannot parse) leaves it
 * standing, and the loss shows.
 */
export const LOG_END_KEY: Buffer = Buffer.from([LOG_END])
export const FORMAT_KEY: Buffer = Buffer.from([FORMAT])

export function metaKey(name: string): Buffer {
  return Buffer.concat([Buffer.from([META]), Buffer.from(name, 'utf8')])
}
