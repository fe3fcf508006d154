// What the leader knows of one follower's log (model: etcd-io/raft tracker/progress.go).
//   probe:     next is a guess; send one append at a time and wait for the answer (or the next heartbeat).
//   replicate: next is optimistic; pipeline appends within the Inflights window.
//   snapshot:  the follower needs a snapshot; appends are paused until the transfer completes.
import type { ProgressState, ProgressStatus } from './api.js'
import { Inflights } from './inflights.js'
import type { SnapshotTransfer } from './snapshot-transfer.js'

export class Progress {
  match = 0
  next: number
  state: ProgressState = 'probe'
  /** In snapshot state: the index of the snapshot being sent. */
  pendingSnapshot = 0
  /** Heard from within the current election timeout (check-quorum). */
  recentActive = false
  /** probe: an append is out, wait. replicate: the Inflights window is full. */
  msgAppFlowPaused = false
  readonly inflights: Inflights
  isLearner: boolean
  /** In snapshot state: the chunked transfer under way. */
  transfer: SnapshotTransfer | undefined = undefined

  constructor(next: number, isLearner: boolean, maxInflightMsgs: number, maxInflightBytes: number) {
    this.next = next
    this.isLearner = isLearner
    this.inflights = new Inflights(maxInflightMsgs, maxInflightBytes)
  }

  private resetState(state: ProgressState): void {
    this.msgAppFlowPaused = false
    this.pendingSnapshot = 0
    this.state = state
    this.inflights.reset()
    this.transfer = undefined
  }

  /** After a completed snapshot, next resumes after it; otherwise right after the known match. */
  becomeProbe(): void {
    const snap = this.state === 'snapshot' ? this.pendingSnapshot : 0
    this.resetState('probe')
    this.next = Math.max(this.match + 1, snap + 1)
  }

  /** An aborted snapshot transfer: probe from the match, as if no snapshot had been sent. */
  abortSnapshot(): void {
    this.pendingSnapshot = 0
    this.becomeProbe()
  }

  becomeReplicate(): void {
    this.resetState('replicate')
    this.next = this.match + 1
  }

  becomeSnapshot(transfer: SnapshotTransfer): void {
    this.resetState('snapshot')
    this.pendingSnapshot = transfer.snapshot.metadata.index
    this.transfer = transfer
  }

  /** Bookkeeping after sending an append of `count` entries (`bytes` in total). */
  sentEntries(count: number, bytes: number): void {
    if (this.state === 'replicate') {
      if (count > 0) {
        this.next += count
        this.inflights.add(this.next - 1, bytes)
      }
      this.msgAppFlowPaused = this.inflights.full()
    } else if (this.state === 'probe') {
      // Every append in probe state is a probe: wait for its answer or the next heartbeat response.
      this.msgAppFlowPaused = true
    }
  }

  /** An acknowledgement up to n. Returns false if it tells nothing new (stale or duplicate). */
  maybeUpdate(n: number): boolean {
    if (n <= this.match) return false
    this.match = n
    this.next = Math.max(this.next, n + 1)
    this.msgAppFlowPaused = false
    return true
  }

  /**
   * A rejection of the append whose prevIndex was `rejected`; matchHint is the leader's best guess of the
   * last matching index. Returns false if the rejection is stale.
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false
      this.next = this.match + 1
      return true
    }
    // In probe state one append is out at a time, so a rejection of anything but next-1 is stale.
    if (this.next - 1 !== rejected) return false
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1)
    this.msgAppFlowPaused = false
    return true
  }

  isPaused(): boolean {
    if (this.state === 'snapshot') return true
    return this.msgAppFlowPaused
  }

  status(): ProgressStatus {
    return { match: this.match, next: this.next, state: this.state, recentActive: this.recentActive, isLearner: this.isLearner }
  }
}
