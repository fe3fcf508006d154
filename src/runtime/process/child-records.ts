// Child processes outlive an agent killed with SIGKILL: nothing of the agent runs then, and each child
// leads its own process group. So that a restarted agent never runs a container twice, every child is
// recorded in the state dir: before it is spawned (a token it carries in $PODMESH_RUN) and after (its
// pid and its start time from /proc). A starting runtime kills every process group its records name
// before it starts anything, and the start time keeps it from killing a process that reused the pid.
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RuntimeLogger } from '../driver.js'
import { errorMessage } from '../errors.js'
import { ownGroup, processGroupMembers, processesWithEnv, startTimeOf } from './proc.js'

export const RUN_TOKEN_ENV = 'PODMESH_RUN'

interface ChildRecord {
  readonly token: string
  readonly pid?: number
  /** Clock ticks since boot (/proc/PID/stat field 22): with the pid, names one process for good. */
  readonly start?: number
}

export class ChildRecords {
  constructor (private readonly dir: string, private readonly log: RuntimeLogger) {}

  /** Before spawning: should the agent die before started(), the child is found by its token. */
  async intend (token: string): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    await this.write({ token })
  }

  async started (token: string, pid: number): Promise<void> {
    const start = await startTimeOf(pid)
    await this.write({ token, pid, ...(start !== undefined ? { start } : {}) })
  }

  async forget (token: string): Promise<void> {
    await rm(this.path(token), { force: true })
  }

  /** Kills (SIGKILL) the process group of every recorded child still running and forgets them all. */
  async killLeftovers (): Promise<number> {
    const names = await readdir(this.dir).catch(() => [] as string[])
    const own = await ownGroup()
    let killed = 0
    for (const name of names.filter(n => n.endsWith('.json'))) {
      const rec = await readFile(join(this.dir, name), 'utf8').then(t => JSON.parse(t) as ChildRecord, () => undefined)
      if (rec !== undefined) {
        const groups = (await this.leftoverGroups(rec)).filter(g => g > 1 && g !== own)
        for (const pgid of groups) killGroup(pgid)
        for (const pgid of groups) await waitGone(pgid)
        if (groups.length > 0) this.log.warn({ pid: rec.pid, token: rec.token, groups }, 'killed a child process an earlier agent left running')
        killed += groups.length
      }
      await rm(join(this.dir, name), { force: true })
    }
    return killed
  }

  /** The process groups of this record still alive: none when its pid now names another process. */
  private async leftoverGroups (rec: ChildRecord): Promise<number[]> {
    try {
      if (rec.pid === undefined) return await processesWithEnv(RUN_TOKEN_ENV, rec.token)
      const now = await startTimeOf(rec.pid)
      if (now !== undefined) return now === rec.start ? [rec.pid] : []
      // The leader is gone; members of its group may remain. The kernel gives no new process a pid
      // that is still some group's id, so any group with this id is the child's.
      return (await processGroupMembers(rec.pid)).length > 0 ? [rec.pid] : []
    } catch (err) {
      this.log.warn({ err: errorMessage(err), pid: rec.pid }, 'could not check for a leftover child process; /proc is needed')
      return []
    }
  }

  private path (token: string): string {
    return join(this.dir, `${token}.json`)
  }

  private async write (rec: ChildRecord): Promise<void> {
    await writeFile(this.path(rec.token), JSON.stringify(rec))
  }
}

function killGroup (pgid: number): void {
  try { process.kill(-pgid, 'SIGKILL') } catch { /* gone already */ }
}

/** SIGKILL is prompt; wait (at most 5 s) until no live process is left in the group. */
async function waitGone (pgid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await processGroupMembers(pgid)).length === 0) return
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}
