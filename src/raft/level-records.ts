// Every value LevelStorage writes is a record: a 4-byte big-endian CRC-32 of the body, then the body (msgpack).
import { crc32 } from './checksum.js'
import { decode, encode } from './codec.js'

const HEADER = 4

export function sealRecord(value: unknown): Buffer {
  const body = encode(value)
  const out = Buffer.allocUnsafe(HEADER + body.length)
  out.writeUInt32BE(crc32(body), 0)
  out.set(body, HEADER)
  return out
}

/** A record that failed its checksum or could not be decoded; `problem` says which. */
export class BadRecordError extends Error {
  static override name = 'BadRecordError'
  override name = 'BadRecordError'
  constructor(readonly problem: string) {
    super(problem)
  }
}

export function openRecord<T>(bytes: Buffer): T {
  if (bytes.length < HEADER + 1) throw new BadRecordError(`record too short (${bytes.length} bytes)`)
  const body = bytes.subarray(HEADER)
  if (bytes.readUInt32BE(0) !== crc32(body)) throw new BadRecordError('checksum mismatch')
  try {
    return decode<T>(body)
  } catch (err) {
    throw new BadRecordError(`undecodable record (${(err as Error).message})`)
  }
}
