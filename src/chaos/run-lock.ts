// One chaos run at a time on a machine: runs share the agents' loopback addresses (127.0.0.11, …) and the
// packet-filter chain, so a second run would cut the first one's traffic and remove its chain. A run
// holds a lock file naming its pid; the next one waits for it (a lock whose pid is dead is taken over).
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

export const LOCK_PATH = join(tmpdir(), 'podmesh-chaos.lock')

function holder(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function tryTake(path: string): boolean {
  try {
    const fd = openSync(path, 'wx', 0o644)
    writeSync(fd, `${process.pid}\n`)
    closeSync(fd)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    const pid = holder(path)
    if (pid !== undefined && pid !== process.pid && alive(pid)) return false
    // A run that died without cleaning up (or a half-written file): take it over.
    try {
      unlinkSync(path)
    } catch {
      // Someone else took it over first; the next try sees theirs.
    }
    return false
  }
}

export class RunLock {
  private held = true
  private constructor(private readonly path: string) {}

  /** Waits (logging once who holds it) until no other live run holds the lock, or the signal aborts. */
  static async acquire(log: (line: string) => void, signal?: AbortSignal, path = LOCK_PATH): Promise<RunLock> {
    let told = false
    while (!tryTake(path)) {
      signal?.throwIfAborted()
      const pid = holder(path)
      if (!told && pid !== undefined) {
        log(`chaos: another chaos run (pid ${pid}) is using this machine's chaos addresses; waiting for it to end (lock ${path})`)
        told = true
      }
      await sleep(500)
    }
    return new RunLock(path)
  }

  /** Synchronous, so an exit handler can call it. */
  release(): void {
    if (!this.held) return
    this.held = false
    if (holder(this.path) !== process.pid) return
    try {
      unlinkSync(this.path)
    } catch {
      // Already gone.
    }
  }
}
