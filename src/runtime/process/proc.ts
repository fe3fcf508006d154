// What Linux's /proc says about processes: start times, process groups, environments. Zombies (state
// Z: dead, not yet reaped) count as gone.
import { readFile, readdir } from 'node:fs/promises'

interface Stat {
  readonly state: string
  readonly pgrp: number
  /** Clock ticks since boot. */
  readonly start: number
}

/** /proc/PID/stat; undefined when there is no such process. The command name (field 2) may hold spaces and parentheses. */
async function stat (pid: number): Promise<Stat | undefined> {
  let text: string
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // Fields from 3 on: state is field 3, pgrp field 5, starttime field 22.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return { state: f[0]!, pgrp: Number(f[2]), start: Number(f[19]) }
}

/** The start time of a live process (clock ticks since boot), or undefined when it is gone. */
export async function startTimeOf (pid: number): Promise<number | undefined> {
  const s = await stat(pid)
  return s === undefined || s.state === 'Z' ? undefined : s.start
}

async function pids (): Promise<number[]> {
  return (await readdir('/proc')).filter(n => /^\d+$/.test(n)).map(Number)
}

/** The live processes of a process group. Throws when /proc cannot be read. */
export async function processGroupMembers (pgid: number): Promise<number[]> {
  const out: number[] = []
  for (const pid of await pids()) {
    const s = await stat(pid)
    if (s !== undefined && s.state !== 'Z' && s.pgrp === pgid) out.push(pid)
  }
  return out
}

/** The process groups of the live processes whose environment holds NAME=VALUE (those we may read). */
export async function processesWithEnv (name: string, value: string): Promise<number[]> {
  const needle = `${name}=${value}\0`
  const groups = new Set<number>()
  for (const pid of await pids()) {
    const env = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '')
    if (!`\0${env}`.includes(`\0${needle}`)) continue
    const s = await stat(pid)
    if (s !== undefined && s.state !== 'Z') groups.add(s.pgrp)
  }
  return [...groups]
}

/** This process's own group (never to be killed as a leftover). */
export async function ownGroup (): Promise<number | undefined> {
  return (await stat(process.pid))?.pgrp
}
