import { Packr } from 'msgpackr'
import type { ConfChange } from './types.js'

// One shared encoder: plain structures (no records), so every reader decodes without shared state.
// Decoded byte strings are copies (copyBuffers), not views into what was decoded: entries arriving in a
// network chunk live in the log until compaction, and a view would keep the whole chunk alive with them.
const packr = new Packr({ useRecords: false, moreTypes: false, copyBuffers: true })

export function encode(value: unknown): Uint8Array {
  return packr.pack(value)
}

export function decode<T>(bytes: Uint8Array): T {
  return packr.unpack(bytes) as T
}

export function encodeConfChange(cc: ConfChange): Uint8Array {
  return encode(cc)
}

export function decodeConfChange(data: Uint8Array): ConfChange {
  return decode<ConfChange>(data)
}
