import type { Entry } from './types.js'

/**
 * Fixed per-entry cost (index, term, type on the wire) so that empty entries, such as a leader's
 * no-op, still count toward byte limits and a limit of 0 means "one entry at a time".
 */
export const ENTRY_OVERHEAD_BYTES = 16

export function entrySize(e: Entry): number {
  return e.data.byteLength + ENTRY_OVERHEAD_BYTES
}

export function entriesSize(ents: readonly Entry[]): number {
  let n = 0
  for (const e of ents) n += entrySize(e)
  return n
}

/** The longest prefix of ents whose total size is <= maxBytes, and at least one entry. */
export function limitSize(ents: Entry[], maxBytes: number): Entry[] {
  if (ents.length <= 1) return ents
  let size = entrySize(ents[0]!)
  let n = 1
  for (; n < ents.length; n++) {
    size += entrySize(ents[n]!)
    if (size > maxBytes) break
  }
  return n === ents.length ? ents : ents.slice(0, n)
}
