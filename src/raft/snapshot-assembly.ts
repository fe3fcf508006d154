// The follower's side of a chunked snapshot transfer: chunks must arrive in order; a chunk at offset 0
// restarts the assembly (the leader restarted the transfer).
import type { Snapshot, SnapshotMetadata } from './types.js'

export type ChunkOutcome = 'accepted' | 'duplicate' | 'outOfOrder'

export class SnapshotAssembly {
  readonly metadata: SnapshotMetadata
  readonly totalBytes: number
  private readonly chunks: Uint8Array[] = []
  /** Bytes held: the next offset wanted. */
  received = 0

  constructor(metadata: SnapshotMetadata, totalBytes: number) {
    this.metadata = metadata
    this.totalBytes = totalBytes
  }

  /** Whether a chunk belongs to this transfer. */
  matches(metadata: SnapshotMetadata, totalBytes: number): boolean {
    return metadata.index === this.metadata.index && metadata.term === this.metadata.term && totalBytes === this.totalBytes
  }

  add(offset: number, data: Uint8Array): ChunkOutcome {
    if (offset + data.byteLength <= this.received && !(offset === this.received && data.byteLength === 0)) return 'duplicate'
    if (offset !== this.received) return 'outOfOrder'
    this.chunks.push(data.slice()) // copy: the sender may reuse its buffer
    this.received += data.byteLength
    return 'accepted'
  }

  complete(): boolean {
    return this.received === this.totalBytes
  }

  build(): Snapshot {
    const data = new Uint8Array(this.totalBytes)
    let at = 0
    for (const c of this.chunks) {
      data.set(c, at)
      at += c.byteLength
    }
    return { metadata: this.metadata, data }
  }
}
