// Shared builders for net tests.
import type { Message } from '../../src/raft/types.js'

export function app (from: string, to: string, index: number, data: Uint8Array = new Uint8Array([index & 0xff])): Message {
  return { type: 'app', from, to, term: 1, prevIndex: index - 1, prevTerm: 1, commit: 0, entries: [{ term: 1, index, type: 'normal', data }] }
}

export function heartbeat (from: string, to: string, commit = 0): Message {
  return { type: 'heartbeat', from, to, term: 1, commit, context: new Uint8Array() }
}

/** Resolves once cond() holds, polling; rejects after `ms` with `what` in the message. */
export async function waitFor (cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

/** The test's seed: $SEED when replaying, else random. Print it so a failure can be replayed. */
export function testSeed (): number {
  const env = process.env.SEED
  return env !== undefined ? Number(env) : Math.floor(Math.random() * 2 ** 31)
}
