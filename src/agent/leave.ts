// POST /v1/leave, this node's side of `agent leave` (the CLI drains the node first, see cli-leave.ts):
// a leader hands leadership over; the agent stops heartbeating; its Node and the pods still bound to it
// are deleted (a deployment replaces what the drain did not move); its runtime stops and removes every
// pod it runs, since a node that joins again gets a new member id and never adopts them; the leader
// removes it from the Raft configuration; the agent marks its data dir and stops.
import type { DeleteOp } from '../state/commands.js'
import { podNodeName } from '../controllers/objects.js'
import type { Agent } from './agent.js'
import { ApiFailure } from './api/errors.js'

export interface LeaveResult {
  readonly message: string
  /** `namespace/name` of the pods deleted with the node (those the drain did not move). */
  readonly deletedPods: readonly string[]
}

interface Log {
  info(o: object, m: string): void
}

export async function leaveCluster(a: Agent, log: Log): Promise<LeaveResult> {
  const st = a.driver.status()
  const members = st.conf.voters.length + st.conf.learners.length
  if (!st.conf.voters.includes(a.id) && !st.conf.learners.includes(a.id)) throw new ApiFailure('BadRequest', 'this node is not a member of a cluster')
  const alone = members === 1
  if (!alone && st.role === 'leader') await handOver(a, log)
  a.orchestration?.detachNode()
  const deletedPods = await forgetNode(a)
  log.info({ pods: deletedPods }, 'leave: node deleted; removing its pods from the runtime')
  await a.orchestration?.removePods()
  if (!alone) {
    try {
      await a.mesh.call(a.driver.status().leader || a.id, 'remove', { id: a.id }, { timeoutMs: 15_000 })
    } catch (err) {
      throw new ApiFailure('NoLeader', `the leader could not remove this node (${(err as Error).message}); retry \`agent leave\``)
    }
    log.info({}, 'removed from the cluster')
  }
  setImmediate(() => void a.markLeft())
  const message = alone
    ? `${a.name} was the only member: its pods are removed and its agent is stopping (the cluster ends with it)`
    : `${a.name} left the cluster; its agent is stopping`
  return { message, deletedPods }
}

/** Deletes this node's Node and the pods still bound to it, in one write; again if one of them changed meanwhile. */
async function forgetNode(a: Agent): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    const node = a.state.store.get({ kind: 'Node', namespace: '', name: a.name })
    const pods = a.state.store.list('Pod').filter((p) => podNodeName(p) === a.name)
    const ops: DeleteOp[] = [...(node ? [node] : []), ...pods].map((o) => ({ op: 'delete', kind: o.kind, namespace: o.namespace, name: o.name, ifVersion: o.resourceVersion }))
    if (ops.length === 0) return []
    const { outcome } = await a.proposer.propose({ type: 'write', time: new Date().toISOString(), ops }, { timeoutMs: 10_000 })
    if (outcome?.ok) return pods.map((p) => `${p.namespace}/${p.name}`)
    if (attempt >= 10) throw new ApiFailure('Conflict', `could not delete node ${a.name} and its pods: they kept changing; retry \`agent leave\``)
  }
}

async function handOver(a: Agent, log: Log): Promise<void> {
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
