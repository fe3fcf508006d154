// The contract between the agent (which knows which pods are bound to its node) and a pod runtime
// (which runs them: Docker, or plain processes). The agent hands over the desired set; the runtime
// converges to it and reports what it observes. Shapes follow Kubernetes' PodStatus.
import type { PodSpec } from '../resources/index.js'

/** A pod bound to this node, with what the runtime cannot look up itself already resolved by the agent. */
export interface RuntimePod {
  readonly uid: string
  readonly namespace: string
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly spec: PodSpec
  /** Per container name: the full environment (literal values, Secret and ConfigMap references resolved). */
  readonly env: Readonly<Record<string, Readonly<Record<string, string>>>>
  /** Per volume name, for configMap and secret volumes: the files (key → bytes) to mount. */
  readonly files: Readonly<Record<string, Readonly<Record<string, Uint8Array>>>>
  /** The resolver for the pod's containers (the agent's service DNS), when it has one on port 53. */
  readonly dns?: { readonly servers: readonly string[]; readonly searches: readonly string[]; readonly options: readonly string[] }
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown'

export type ContainerState =
  | { readonly waiting: { readonly reason: string; readonly message?: string } }
  | { readonly running: { readonly startedAt: string } }
  | { readonly terminated: { readonly exitCode: number; readonly reason: string; readonly message?: string; readonly startedAt?: string; readonly finishedAt: string } }

export interface ContainerStatus {
  readonly name: string
  readonly image: string
  readonly ready: boolean
  readonly started: boolean
  readonly restartCount: number
  readonly state: ContainerState
  readonly lastState?: ContainerState
  /** Runtime-specific id, e.g. `docker://<id>`. */
  readonly containerID?: string
}

export interface PodCondition {
  readonly type: 'PodScheduled' | 'Initialized' | 'ContainersReady' | 'Ready'
  readonly status: 'True' | 'False' | 'Unknown'
  readonly reason?: string
  readonly message?: string
  readonly lastTransitionTime: string
}

export interface PodStatus {
  readonly phase: PodPhase
  readonly conditions: readonly PodCondition[]
  readonly containerStatuses: readonly ContainerStatus[]
  readonly podIP?: string
  readonly hostIP?: string
  readonly startTime?: string
  readonly reason?: string
  readonly message?: string
}

export interface PodStatusReport {
  readonly uid: string
  readonly status: PodStatus
}

export interface LogOptions {
  readonly container?: string
  readonly follow?: boolean
  readonly tail?: number
  /** The run before the current one (`kubectl logs -p`): the one that exited last. */
  readonly previous?: boolean
  readonly signal?: AbortSignal
}

export interface PodRuntime {
  /** `docker` or `process`. */
  readonly name: string
  /** Converge to exactly these pods (start what is missing, stop and remove what is not listed). Idempotent; called often. */
  reconcile(desired: readonly RuntimePod[]): Promise<void>
  /** The latest observed status of every pod the runtime knows. */
  statuses(): readonly PodStatusReport[]
  /** Called (coalesced) when some pod's status changed; the agent batches reports to the leader. */
  onChange(listener: () => void): () => void
  /** A container's output (stdout and stderr interleaved), as Docker's `logs` gives it. */
  logs(uid: string, opts: LogOptions): AsyncIterable<Uint8Array>
  /** Stops probing and watching; leaves the containers running (a restarted agent adopts them). */
  close(): Promise<void>
}
