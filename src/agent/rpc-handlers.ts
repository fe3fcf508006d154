import { encode } from '../raft/codec.js'
import type { PodReport } from '../controllers/status-intake.js'
import type { NodeId } from '../raft/types.js'
import type { Agent } from './agent.js'
import type { JoinReply, JoinRequest } from './join.js'
import { decideJoinName, NameTakenError } from './join-name.js'
import { servePodLogs } from './pod-logs-rpc.js'
import type { ForwardReply } from './proposer.js'
import { progressReport, type ProgressReport } from './status.js'

/** Calls between agents over the mesh. Any member answers; what only the leader can do is forwarded to it. */
export function registerRpcHandlers(agent: Agent): void {
  const { mesh, driver, proposer } = agent

  mesh.handle('propose', async (body): Promise<ForwardReply> => {
    const { data } = body as { data: Uint8Array }
    const st = driver.status()
    if (st.role !== 'leader') return { ok: false, error: 'notLeader', leader: st.leader }
    return proposer.proposeHere(data, 10_000)
  })

  mesh.handle('join', async (body, from): Promise<JoinReply> => {
    const req = body as JoinRequest
    // A node asks for itself, or a member relays the request to the leader.
    if (req.id !== from && !agent.state.members.get(from)) throw Object.assign(new Error('a node can only ask to join for itself'), { name: 'JoinRefusedError' })
    return forwardToLeader(agent, 'join', req, async () => {
      if (!driver.status().conf.voters.includes(req.id) && !driver.status().conf.learners.includes(req.id)) {
        await freeName(agent, req)
        mesh.addPeer(req.id, req.info.addrs)
        await proposer.proposeConfChange({ type: 'addLearner', node: req.id, context: encode(req.info) })
      }
      return { leader: agent.id, members: agent.state.members.all(), apiToken: agent.file.apiToken }
    })
  })

  mesh.handle('remove', async (body): Promise<{ index: number }> => {
    const { id } = body as { id: NodeId }
    return forwardToLeader(agent, 'remove', { id }, async () => ({ index: await proposer.proposeConfChange({ type: 'remove', node: id }) }))
  })

  // Liveness, every 500 ms from each agent: memory only, never the log. False: not the leader.
  mesh.handle('nodeHeartbeat', async (body): Promise<boolean> => agent.orchestration?.controllers.heartbeat((body as { name: string }).name) ?? false)

  // Batched pod status reports: the leader writes them in one entry.
  mesh.handle('podStatus', async (body): Promise<boolean> => {
    const { node, reports } = body as { node: string; reports: PodReport[] }
    return agent.orchestration?.controllers.reportStatuses(node, reports) ?? false
  })

  mesh.handle('progress', async (): Promise<ProgressReport | null> => progressReport(driver, mesh) ?? null)

  // Logs of this node's pods, polled by the agent that took the request (pod-logs-rpc.ts).
  servePodLogs({ mesh, nodeName: agent.name, runtime: () => agent.orchestration?.runtime })
}

/**
 * On the leader: refuses a join whose name another live member holds (two agents would run one Node),
 * or removes that member first when it has been silent past the voter grace. Removing a silent member
 * never costs quorum: the live voters stay as many, of fewer.
 */
async function freeName(agent: Agent, req: JoinRequest): Promise<void> {
  const health = new Map((agent.membership.health() ?? []).map((h) => [h.id, h.silentForMs]))
  const decision = decideJoinName({
    joiner: req.id,
    name: req.info.name,
    members: agent.state.members.all(),
    silentForMs: (id) => health.get(id),
    graceMs: agent.cfg.voterGraceMs,
    upWithinMs: 2_000,
  })
  if (decision.kind === 'refuse') throw new NameTakenError(decision.message)
  if (decision.kind === 'takeOver') {
    agent.cfg.log.info({ node: decision.holder.id, name: req.info.name, joiner: req.id }, 'membership: remove a silent member whose name a new node takes over')
    await agent.proposer.proposeConfChange({ type: 'remove', node: decision.holder.id })
  }
}

/** Runs `here` on the leader, or relays the call to the leader when this node is not it. */
async function forwardToLeader<T>(agent: Agent, method: string, body: unknown, here: () => Promise<T>): Promise<T> {
  const st = agent.driver.status()
  if (st.role === 'leader') return here()
  if (!st.leader) throw Object.assign(new Error('no leader right now; retry'), { name: 'NoLeaderError' })
  return (await agent.mesh.call(st.leader, method, body, { timeoutMs: 15_000 })) as T
}
