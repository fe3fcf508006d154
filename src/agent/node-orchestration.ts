// This agent's part in running pods, composed here: its Node registration and heartbeats, its pod sync
// (when it has a runtime), and the controllers that run while it leads.
import { randomUUID } from 'node:crypto'
import { ControllerManager } from '../controllers/manager.js'
import type { PodReport } from '../controllers/status-intake.js'
import { parseJoinToken } from '../net/index.js'
import { encode } from '../raft/codec.js'
import { createRuntime, resolveRuntimeName } from '../runtime/select.js'
import type { PodRuntime } from '../runtime/types.js'
import type { DeleteOp, PutOp, WriteCommand } from '../state/commands.js'
import { SecretBox } from '../state/secret-box.js'
import type { Agent } from './agent.js'
import { heartbeatIntervalMs, NodeHeartbeat } from './node-heartbeat.js'
import type { NodeOptions } from './node-options.js'
import { NodeRegistration, osCapacity, type NodeIdentity } from './node-register.js'
import { PodSync } from './pod-sync.js'
import { PODMESH_VERSION } from './version.js'
import { ServiceEnvironment, podResolverFor, serviceAddressFor } from '../services/index.js'

export type { NodeOptions } from './node-options.js'

export interface Orchestration {
  readonly controllers: ControllerManager
  readonly runtime: PodRuntime | undefined
  /** `agent leave`: no more heartbeats or Node writes from this agent (its Node is about to be deleted). */
  detachNode(): void
  /** `agent leave`: the runtime stops and removes every pod it runs (a leaving node's containers are never adopted again). */
  removePods(): Promise<void>
  stop(): Promise<void>
}

const DEFAULTS: NodeOptions = { labels: {}, graceMs: 2_000 }

export async function startOrchestration(agent: Agent, opts: NodeOptions = DEFAULTS): Promise<Orchestration> {
  const log = agent.cfg.log
  const runtimeName = await resolveRuntimeName(opts.runtime)
  const runtime =
    runtimeName === 'none'
      ? undefined
      : await createRuntime(runtimeName, {
          nodeId: agent.id,
          host: agent.cfg.advertise?.host ?? agent.cfg.listen.host,
          dataDir: agent.cfg.dataDir,
          log: log.child({ component: 'runtime' }),
          ...fakeOptions(),
        })
  log.info({ runtime: runtimeName }, runtimeName === 'none' ? 'this node runs no pods (--runtime none)' : `pods run with the ${runtimeName} runtime`)
  const controllers = new ControllerManager(
    { id: agent.id, leadership: agent.driver, state: agent.state, write: (ops) => leaderWrite(agent, ops), log: log.child({ component: 'controllers' }) },
    { graceMs: opts.graceMs },
  )
  const registration = new NodeRegistration(identity(agent, opts, runtime), {
    state: agent.state,
    propose: async (cmd: WriteCommand) => (await agent.proposer.propose(cmd, { timeoutMs: 5_000 })).outcome?.ok === true,
    newUid: randomUUID,
    log: log.child({ component: 'node' }),
  })
  const heartbeat = new NodeHeartbeat(
    { name: agent.name, leader: () => agent.driver.status().leader, call: (peer, method, body, o) => agent.mesh.call(peer, method, body, o) },
    heartbeatIntervalMs(opts.graceMs),
  )
  const secrets = SecretBox.fromJoinSecret(parseJoinToken(agent.file.joinToken).secret)
  const podSync = runtime
    ? new PodSync({
        nodeName: agent.name,
        state: agent.state,
        runtime,
        secrets,
        report: async (reports: readonly PodReport[]) => {
          const leader = agent.driver.status().leader
          if (!leader) return false
          return (await agent.mesh.call(leader, 'podStatus', { node: agent.name, reports }, { timeoutMs: 2_000 })) === true
        },
        log: log.child({ component: 'pods' }),
        serviceEnv: new ServiceEnvironment(serviceAddressFor(runtimeName, opts.services?.serviceAddress), agent.state.store, podResolverFor(runtimeName, opts.services)),
      })
    : undefined
  controllers.start()
  registration.start()
  heartbeat.start()
  // The runtime's first reconcile must see every pod bound here, or it would remove containers it should adopt.
  if (podSync) void caughtUp(agent).then(() => podSync.start())
  return {
    controllers,
    runtime,
    detachNode: () => {
      heartbeat.stop()
      registration.stop()
    },
    removePods: async () => {
      await podSync?.removeAll()
    },
    stop: async () => {
      heartbeat.stop()
      registration.stop()
      controllers.stop()
      await podSync?.stop()
    },
  }
}

/** Writes from the leader's own log only: a controller that lost leadership must not write through another leader. */
async function leaderWrite(agent: Agent, ops: readonly (PutOp | DeleteOp)[]): Promise<boolean> {
  if (agent.driver.status().role !== 'leader') throw Object.assign(new Error('not the leader'), { name: 'NotLeaderError' })
  const reply = await agent.proposer.proposeHere(encode({ type: 'write', time: new Date().toISOString(), ops } satisfies WriteCommand), 5_000)
  if (!reply.ok) throw Object.assign(new Error(`write not committed: ${reply.error}`), { name: 'WriteFailedError' })
  await agent.state.waitApplied(reply.index)
  return reply.outcome?.ok === true
}

function identity(agent: Agent, opts: NodeOptions, runtime: PodRuntime | undefined): NodeIdentity {
  const os = osCapacity()
  const host = agent.cfg.advertise?.host ?? agent.cfg.listen.host
  return {
    name: agent.name,
    memberId: agent.id,
    labels: opts.labels,
    cpuMillis: opts.cpuMillis ?? os.cpuMillis,
    memoryBytes: opts.memoryBytes ?? os.memoryBytes,
    // A node that runs no pods offers room for none, so the scheduler never places one there to wait forever.
    pods: runtime ? 110 : 0,
    runtime: runtime?.name ?? 'none',
    addresses: [{ type: 'Hostname', address: agent.name }, ...(host && host !== '0.0.0.0' && host !== '::' ? [{ type: 'InternalIP', address: host }] : [])],
    agentVersion: PODMESH_VERSION,
  }
}


/** Resolves once this node has applied everything committed when it asked (a linearizable read barrier). */
async function caughtUp(agent: Agent): Promise<void> {
  for (;;) {
    try {
      await agent.driver.readIndex({ signal: AbortSignal.timeout(2_000) })
      return
    } catch {
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}

function fakeOptions(): { fakeStartMs?: number } {
  const ms = Number(process.env.PODMESH_FAKE_START_MS)
  return Number.isFinite(ms) && ms >= 0 && process.env.PODMESH_FAKE_START_MS ? { fakeStartMs: ms } : {}
}
