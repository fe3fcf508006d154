// Each agent keeps its Node object current: labels (from --label, plus kubernetes.io/hostname),
// capacity (CPU and memory from the OS unless --cpu/--memory say otherwise), the runtime, its member
// id. Written on start and whenever they differ from the stored Node, never otherwise: readiness is
// the leader's to write, from heartbeats that stay out of the log.
import { availableParallelism, totalmem } from 'node:os'
import type { Logger } from 'pino'
import { AGENT_LABELS_ANNOTATION, HOSTNAME_LABEL, MEMBER_ID_ANNOTATION, rec, strMap } from '../controllers/objects.js'
import { formatCpu, formatMemory } from '../resources/index.js'
import type { WriteCommand } from '../state/commands.js'
import type { ClusterState } from '../state/cluster-state.js'
import type { StoredObject } from '../state/store.js'
import { canonicalJson } from '../state/canonical.js'

export interface NodeIdentity {
  readonly name: string
  readonly memberId: string
  /** From --label; kubernetes.io/hostname is added. */
  readonly labels: Readonly<Record<string, string>>
  readonly cpuMillis: number
  readonly memoryBytes: number
  readonly pods: number
  readonly runtime: string
  readonly addresses: readonly { readonly type: string; readonly address: string }[]
  readonly agentVersion: string
}

export function osCapacity(): { cpuMillis: number; memoryBytes: number } {
  return { cpuMillis: availableParallelism() * 1000, memoryBytes: totalmem() }
}

/** The Node object for this identity, keeping what others wrote: spec (cordon, taints), conditions, foreign labels and annotations. */
export function nodeObject(id: NodeIdentity, current: StoredObject | undefined): Record<string, unknown> {
  const meta = rec(current?.object.metadata)
  const oldAnnotations = strMap(meta.annotations)
  const managedBefore = (oldAnnotations[AGENT_LABELS_ANNOTATION] ?? '').split(',').filter(Boolean)
  const labels: Record<string, string> = { ...strMap(meta.labels) }
  for (const k of managedBefore) delete labels[k]
  const own = { ...id.labels, [HOSTNAME_LABEL]: id.name }
  Object.assign(labels, own)
  const annotations = { ...oldAnnotations, [MEMBER_ID_ANNOTATION]: id.memberId, [AGENT_LABELS_ANNOTATION]: Object.keys(own).sort().join(',') }
  const resources = { cpu: formatCpu(id.cpuMillis), memory: formatMemory(id.memoryBytes), pods: String(id.pods) }
  const status = rec(current?.object.status)
  return {
    metadata: { name: id.name, namespace: '', labels, annotations },
    spec: current?.object.spec ?? { unschedulable: false },
    status: {
      ...status,
      capacity: resources,
      allocatable: resources,
      addresses: id.addresses,
      nodeInfo: { agentVersion: id.agentVersion, runtime: id.runtime, containerRuntimeVersion: id.runtime, operatingSystem: process.platform, architecture: process.arch },
    },
  }
}

export interface NodeRegistrationDeps {
  readonly state: ClusterState
  /** Commits through the leader (the agent's proposer); resolves false on a compare-and-set conflict. */
  readonly propose: (cmd: WriteCommand) => Promise<boolean>
  readonly newUid: () => string
  readonly log: Logger
}

/** Writes the Node when it differs from what it should be; looks again every few seconds (someone may delete it). */
export class NodeRegistration {
  private timer: NodeJS.Timeout | undefined
  private closed = false

  constructor(
    private readonly id: NodeIdentity,
    private readonly deps: NodeRegistrationDeps,
    private readonly checkMs = 5_000,
  ) {}

  start(): void {
    void this.loop()
  }

  stop(): void {
    this.closed = true
    clearTimeout(this.timer)
  }

  /** One look: true when the stored Node is as it should be (already, or after this write). */
  async ensure(): Promise<boolean> {
    const key = { kind: 'Node', namespace: '', name: this.id.name }
    const current = this.deps.state.store.get(key)
    const want = nodeObject(this.id, current)
    if (current && canonicalJson(current.object) === canonicalJson(want)) return true
    const ok = await this.deps.propose({
      type: 'write',
      time: new Date().toISOString(),
      ops: [{ op: 'put', ...key, object: want, uid: current?.uid ?? this.deps.newUid(), ifVersion: current?.resourceVersion ?? 0 }],
    })
    if (ok) this.deps.log.info({ node: this.id.name, capacity: rec(want.status).capacity }, current ? 'node updated' : 'node registered')
    return ok
  }

  private async loop(): Promise<void> {
    let ok = false
    try {
      ok = await this.ensure()
    } catch (err) {
      this.deps.log.debug({ err }, 'node registration failed; retrying')
    }
    if (this.closed) return
    this.timer = setTimeout(() => void this.loop(), ok ? this.checkMs : 500)
  }
}
