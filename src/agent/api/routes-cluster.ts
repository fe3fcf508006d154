import type { Agent } from '../agent.js'
import { buildStatus, progressReport, type ProgressReport } from '../status.js'
import { ApiFailure } from './errors.js'
import type { Route } from './server.js'

export function clusterRoutes(agent: () => Agent): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/status',
      name: 'status',
      handler: async () => {
        const a = agent()
        return { body: buildStatus(a.driver, a.state, await leaderProgress(a)) }
      },
    },
    {
      method: 'POST',
      path: '/v1/leave',
      name: 'leave',
      handler: async (req) => {
        const a = agent()
        await leave(a, req.log)
        return { body: { message: `${a.name} left the cluster; its agent is stopping` } }
      },
    },
  ]
}

async function leaderProgress(a: Agent): Promise<ProgressReport | undefined> {
  const st = a.driver.status()
  if (st.role === 'leader') return progressReport(a.driver, a.mesh)
  if (!st.leader) return undefined
  try {
    return ((await a.mesh.call(st.leader, 'progress', {}, { timeoutMs: 1_000 })) as ProgressReport | null) ?? undefined
  } catch {
    return undefined
  }
}

/** A leader hands leadership over first; then the leader removes this node; then the agent stops. */
async function leave(a: Agent, log: { info: (o: object, m: string) => void }): Promise<void> {
  const st = a.driver.status()
  if (!st.conf.voters.includes(a.id) && !st.conf.learners.includes(a.id)) throw new ApiFailure('BadRequest', 'this node is not a member of a cluster')
  if (st.conf.voters.length + st.conf.learners.length === 1) throw new ApiFailure('BadRequest', 'this node is the only member: stop its agent instead')
  if (st.role === 'leader') await handOver(a, log)
  try {
    await a.mesh.call(a.driver.status().leader || a.id, 'remove', { id: a.id }, { timeoutMs: 15_000 })
  } catch (err) {
    throw new ApiFailure('NoLeader', `the leader could not remove this node (${(err as Error).message}); retry \`agent leave\``)
  }
  log.info({}, 'removed from the cluster')
  setImmediate(() => void a.markLeft())
}

async function handOver(a: Agent, log: { info: (o: object, m: string) => void }): Promise<void> {
  const st = a.driver.status()
  const candidates = [...(st.progress?.entries() ?? [])].filter(([id, p]) => id !== a.id && !p.isLearner).sort((x, y) => y[1].match - x[1].match)
  const to = candidates[0]?.[0]
  if (!to) return
  log.info({ to }, 'leave: transferring leadership')
  a.driver.transferLeadership(to)
  const deadline = Date.now() + 5_000
  while (a.driver.status().role === 'leader' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  // Wait for the new leader to be known here, so the removal can go to it.
  while (!a.driver.status().leader && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
}
