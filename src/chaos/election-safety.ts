// Election Safety (Raft §5.2, Figure 3): at most one leader per term. Checked from what every node logs
// when it becomes leader (`leader is now … (this node)`, with its role and term), over every process
// the run started, restarts and rejoins included. It is how two leaders of one term were found after a
// restart (a bootstrap node whose stored commit index was stale: docs/raft.md, Durability).
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { WorkloadVerdict } from './workload.js'

export interface LeaderClaim {
  readonly term: number
  /** The node id that led. */
  readonly id: string
  /** The log (node name) it was read from. */
  readonly log: string
}

/** The leadership lines of one node's log (JSON lines; anything else is skipped). */
export function leaderClaims(text: string, log: string): LeaderClaim[] {
  const out: LeaderClaim[] = []
  for (const line of text.split('\n')) {
    if (!line.includes('"leader is now')) continue
    let d: { role?: unknown; term?: unknown; leader?: unknown }
    try {
      d = JSON.parse(line) as typeof d
    } catch {
      continue
    }
    if (d.role === 'leader' && typeof d.term === 'number' && typeof d.leader === 'string') out.push({ term: d.term, id: d.leader, log })
  }
  return out
}

export function checkElectionSafety(claims: readonly LeaderClaim[]): WorkloadVerdict {
  const byTerm = new Map<number, Map<string, string>>()
  for (const c of claims) (byTerm.get(c.term) ?? byTerm.set(c.term, new Map()).get(c.term)!).set(c.id, c.log)
  const twice = [...byTerm].filter(([, leaders]) => leaders.size > 1).sort(([a], [b]) => a - b)
  const terms = byTerm.size
  const text = twice.length === 0
    ? [`${claims.length} leaderships over ${terms} terms, one leader per term`]
    : twice.map(([term, leaders]) => `term ${term} had ${leaders.size} leaders: ${[...leaders].map(([id, log]) => `${log} (${id})`).join(', ')}`)
  return {
    name: 'election-safety',
    result: twice.length === 0 ? 'ok' : 'violation',
    summary: { leaderships: claims.length, terms, termsWithTwoLeaders: twice.map(([t]) => t) },
    text,
    history: { claims },
  }
}

/** Reads every `*.log` in the run's log dir. */
export async function electionSafety(logDir: string): Promise<WorkloadVerdict> {
  const names = (await readdir(logDir).catch(() => [] as string[])).filter((n) => n.endsWith('.log'))
  const claims: LeaderClaim[] = []
  for (const n of names) claims.push(...leaderClaims(await readFile(join(logDir, n), 'utf8'), n.replace(/\.log$/, '')))
  return checkElectionSafety(claims)
}
