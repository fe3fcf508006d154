// Records the workload's operations as the checker's history: call and return times in ms since the
// recorder started, from a monotonic clock.
import type { RegisterOperation } from './linearizability.js'
import type { RegisterInput, RegisterOutput } from './register-model.js'

export interface PendingOp {
  /** Records the outcome, and for anything but ok what the client got (`503 NoLeader`); later calls are ignored. */
  complete(output: RegisterOutput, why?: string): void
}

/** A history entry with, for post-mortems, what the client got when it was not ok. */
export type RecordedOperation = RegisterOperation & { readonly why?: string }

export class HistoryRecorder {
  private readonly ops: { op: Omit<RegisterOperation, 'return' | 'output'>; ret: number | null; output: RegisterOutput | undefined; why?: string }[] = []
  private readonly start: number

  constructor(private readonly now: () => number = () => performance.now()) {
    this.start = now()
  }

  /** Milliseconds since the recorder started. */
  elapsed(): number {
    return this.now() - this.start
  }

  invoke(client: string, key: string, input: RegisterInput): PendingOp {
    const rec: (typeof this.ops)[number] = { op: { id: this.ops.length + 1, client, key, input, call: this.elapsed() }, ret: null, output: undefined }
    this.ops.push(rec)
    return {
      complete: (output, why) => {
        if (rec.output !== undefined) return
        rec.output = output
        if (why !== undefined && output.type !== 'ok') rec.why = why
        rec.ret = this.elapsed()
      },
    }
  }

  get size(): number {
    return this.ops.length
  }

  /** The history so far; operations still in flight count as unknown, without a return. */
  history(): RecordedOperation[] {
    return this.ops.map((r) => ({ ...r.op, return: r.output === undefined ? null : r.ret, output: r.output ?? { type: 'unknown' }, ...(r.why === undefined ? {} : { why: r.why }) }))
  }
}

export interface OutcomeCounts {
  readonly ok: number
  readonly fail: number
  readonly conflict: number
  readonly unknown: number
}

export function countOutcomes(history: readonly RegisterOperation[]): Record<RegisterInput['type'], OutcomeCounts> {
  const blank = (): { ok: number; fail: number; conflict: number; unknown: number } => ({ ok: 0, fail: 0, conflict: 0, unknown: 0 })
  const out = { read: blank(), write: blank(), cas: blank() }
  for (const op of history) {
    const c = out[op.input.type]
    if (op.output.type === 'fail' && op.output.conflict === true) c.conflict++
    else c[op.output.type]++
  }
  return out
}

/** How often each answer that was not ok came back (`409 Conflict: 31`), most frequent first. */
export function countReasons(history: readonly RecordedOperation[]): Record<string, number> {
  const counts = new Map<string, number>()
  for (const op of history) if (op.why !== undefined) counts.set(op.why, (counts.get(op.why) ?? 0) + 1)
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]))
}
