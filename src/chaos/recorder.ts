// Records the workload's operations as the checker's history: call and return times in ms since the
// recorder started, from a monotonic clock.
import type { RegisterOperation } from './linearizability.js'
import type { RegisterInput, RegisterOutput } from './register-model.js'

export interface PendingOp {
  /** Records the outcome; later calls are ignored. */
  complete(output: RegisterOutput): void
}

export class HistoryRecorder {
  private readonly ops: { op: Omit<RegisterOperation, 'return' | 'output'>; ret: number | null; output: RegisterOutput | undefined }[] = []
  private readonly start: number

  constructor(private readonly now: () => number = () => performance.now()) {
    this.start = now()
  }

  /** Milliseconds since the recorder started. */
  elapsed(): number {
    return this.now() - this.start
  }

  invoke(client: string, key: string, input: RegisterInput): PendingOp {
    const rec = { op: { id: this.ops.length + 1, client, key, input, call: this.elapsed() }, ret: null as number | null, output: undefined as RegisterOutput | undefined }
    this.ops.push(rec)
    return {
      complete: (output) => {
        if (rec.output !== undefined) return
        rec.output = output
        rec.ret = this.elapsed()
      },
    }
  }

  get size(): number {
    return this.ops.length
  }

  /** The history so far; operations still in flight count as unknown, without a return. */
  history(): RegisterOperation[] {
    return this.ops.map((r) => ({ ...r.op, return: r.output === undefined ? null : r.ret, output: r.output ?? { type: 'unknown' } }))
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
