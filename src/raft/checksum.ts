import * as zlib from 'node:zlib'

// zlib.crc32 exists from Node 20.15 / 22.2; older runtimes get the table version (same CRC-32, IEEE polynomial).
const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32

let table: Uint32Array | undefined

function crcTable(): Uint32Array {
  if (table) return table
  table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
}

export function crc32Table(data: Uint8Array): number {
  const t = crcTable()
  let c = 0xffffffff
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** CRC-32 (IEEE) of data, as an unsigned 32-bit integer. */
export const crc32: (data: Uint8Array) => number = native ? (data) => native(data) : crc32Table
