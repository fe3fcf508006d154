// Which pod runtime an agent uses, by name (`agent start --runtime NAME`).
import { FakeRuntime } from './fake.js'
import type { PodRuntime } from './types.js'

export class UnknownRuntimeError extends Error {
  static override readonly name = 'UnknownRuntimeError'
  override readonly name = 'UnknownRuntimeError'
}

export interface RuntimeSelection {
  /** The fake runtime's start delay (ms); env PODMESH_FAKE_START_MS. */
  readonly fakeStartMs?: number
}

export const RUNTIMES = ['fake'] as const

export function createRuntime(name: string, opts: RuntimeSelection = {}): PodRuntime {
  switch (name) {
    case 'fake':
      return new FakeRuntime(opts.fakeStartMs === undefined ? {} : { startDelayMs: opts.fakeStartMs })
    default:
      throw new UnknownRuntimeError(`unknown runtime "${name}": this build knows ${RUNTIMES.join(', ')}`)
  }
}
