// Docker's multiplexed stream (non-TTY containers: logs, exec): frames of an 8-byte header
// [stream, 0, 0, 0, size uint32 BE] then size bytes. Yields the payloads, stdout and stderr interleaved.

export async function * demux (source: AsyncIterable<Uint8Array | string>): AsyncIterable<Uint8Array> {
  let buf: Buffer = Buffer.alloc(0)
  for await (const chunk of source) {
    buf = Buffer.concat([buf, typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk)])
    while (buf.length >= 8) {
      const size = buf.readUInt32BE(4)
      if (buf.length < 8 + size) break
      yield new Uint8Array(buf.subarray(8, 8 + size))
      buf = buf.subarray(8 + size)
    }
  }
}

export function demuxBuffer (buf: Buffer): Uint8Array[] {
  const out: Uint8Array[] = []
  let at = 0
  while (at + 8 <= buf.length) {
    const size = buf.readUInt32BE(at + 4)
    out.push(new Uint8Array(buf.subarray(at + 8, at + 8 + size)))
    at += 8 + size
  }
  return out
}
