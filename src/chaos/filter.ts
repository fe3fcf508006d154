// Where partitions are enforced: the kernel's packet filter (iptables), or, without root or
// iptables, a filter inside the runner's process (proxy-filter.ts).
import type { Cut } from './faults.js'

export type FilterMode = 'iptables' | 'in-process'

export interface PacketFilter {
  readonly mode: FilterMode
  /** Replaces the current cuts with these. */
  apply(cuts: readonly Cut[]): Promise<void>
  /** Removes every cut. */
  heal(): Promise<void>
  /** Removes everything this filter made. Idempotent. */
  close(): Promise<void>
  /** Synchronous cleanup for exit handlers. */
  closeNow(): void
}
