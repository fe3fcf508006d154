import type { Entry } from '../types.js'

// A 53-bit chained hash over a log prefix: the hash at index i covers entries 1..i.
// The same chain is computed over a node's log and over its applied sequence, so a snapshot
// at index s carries the hash a log must have at s.

const M1 = 0x85ebca6b
const M2 = 0xc2b2ae35

export const EMPTY_CHAIN = 0

export function chainHash(prev: number, e: Pick<Entry, 'index' | 'term' | 'type' | 'data'>): number {
  let h1 = (prev ^ 0xdeadbeef) >>> 0
  let h2 = (Math.floor(prev / 0x100000000) ^ 0x41c6ce57) >>> 0
  const mix = (v: number): void => {
    h1 = Math.imul(h1 ^ v, 2654435761)
    h2 = Math.imul(h2 ^ v, 1597334677)
  }
  mix(e.index | 0)
  mix(Math.floor(e.index / 0x100000000))
  mix(e.term | 0)
  mix(e.type === 'conf' ? 2 : 1)
  mix(e.data.length)
  for (let i = 0; i < e.data.length; i++) mix(e.data[i] as number)
  h1 = Math.imul(h1 ^ (h1 >>> 16), M1) ^ Math.imul(h2 ^ (h2 >>> 13), M2)
  h2 = Math.imul(h2 ^ (h2 >>> 16), M1) ^ Math.imul(h1 ^ (h1 >>> 13), M2)
  return 0x100000000 * (h2 & 0x1fffff) + (h1 >>> 0)
}
