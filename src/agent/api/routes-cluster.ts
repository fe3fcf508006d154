import type { Agent } from '../agent.js'
import { leaveCluster } from '../leave.js'
import { buildStatus, progressReport, type ProgressReport } from '../status.js'
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
      handler: async (req) => ({ body: await leaveCluster(agent(), req.log) }),
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
