// What a pod runtime's engine does (Docker, or child processes), under the runtime-independent
// supervisors: they decide when to start, restart, probe and stop; a driver only carries it out.
import type { Container } from '../resources/index.js'
import type { LogOptions, RuntimePod } from './types.js'

/** What the pod's containers share: its network identity. */
export interface SandboxInfo {
  /** The engine's id of what holds the sandbox (Docker: the infra container); absent when nothing does. */
  readonly id?: string
  readonly podIP?: string
  /** When the sandbox was made (ms), for the pod's startTime. */
  readonly createdAt?: number
}

export interface StartedContainer {
  /** The engine's id (Docker container id, or the process id in the process runtime). */
  readonly id: string
  readonly startedAt: number
}

export interface ContainerExit {
  readonly exitCode: number
  /** Completed (exit 0), Error, OOMKilled. */
  readonly reason: string
  readonly message?: string
  readonly startedAt?: number
  readonly finishedAt: number
}

export interface AdoptedContainer {
  readonly name: string
  readonly id: string
  readonly restartCount: number
  /** The crash backoff's failure count when this run was started (StartContext.backoffFailures). */
  readonly backoffFailures: number
  readonly startedAt: number
  /** Absent while it runs. */
  readonly exit?: ContainerExit
  /** The run before this one, kept for `logs --previous` while this one runs. */
  readonly previousId?: string
}

/** A pod an earlier agent with the same node id left behind. */
export interface AdoptedPod {
  readonly uid: string
  readonly configHash: string
  readonly sandbox: SandboxInfo
  readonly containers: readonly AdoptedContainer[]
}

export interface StartContext {
  readonly configHash: string
  readonly restartCount: number
  /** Crashes counted by the backoff so far; kept with the run so that an agent restart resumes the backoff. */
  readonly backoffFailures: number
  readonly sandbox: SandboxInfo
}

export type ExitHandler = (uid: string, containerName: string, id: string, exit: ContainerExit) => void

/** What the engine tells the supervisors without being asked. */
export interface EngineEvents {
  readonly exit: ExitHandler
  /** The sandbox `sandboxId` of pod `uid` died or was removed (Docker: the infra container). */
  readonly sandboxLost: (uid: string, sandboxId: string) => void
}

export interface PodDriver {
  /** `docker` or `process`; also the scheme of containerID (`docker://<id>`). */
  readonly name: string
  /** Starts reporting container exits and lost sandboxes (Docker events, or child process exits). */
  watch(events: EngineEvents): Promise<void>
  /** This node's pods left by an earlier agent (Docker), after removing what cannot be adopted (processes). */
  adopt(): Promise<readonly AdoptedPod[]>
  /** Makes what the containers share (volumes, network namespace). Idempotent. */
  ensureSandbox(pod: RuntimePod, configHash: string): Promise<SandboxInfo>
  /** Makes the image present per imagePullPolicy; ImagePullError or ImageNeverPullError otherwise. */
  ensureImage(container: Container): Promise<void>
  /** Creates and starts one run of the container. */
  startContainer(pod: RuntimePod, container: Container, ctx: StartContext): Promise<StartedContainer>
  /** SIGTERM, then SIGKILL after graceSeconds; the exit still comes through the exit handler. */
  stopContainer(id: string, graceSeconds: number): Promise<void>
  /** Forgets a run that has exited (removes the stopped container, and its output). */
  discardContainer(id: string): Promise<void>
  /** Runs a command in a running container; resolves with the exit code, rejects on timeout. */
  exec(id: string, pod: RuntimePod, container: Container, command: readonly string[], timeoutMs: number): Promise<number>
  /** Where httpGet and tcpSocket probes connect. */
  probeHost(sandbox: SandboxInfo | undefined): string
  /** Of these runs believed running, the ones that have in fact exited (a missed event). */
  checkExited(ids: readonly string[]): Promise<ReadonlyMap<string, ContainerExit>>
  /** Of these sandboxes (pod uid → sandbox id) believed alive, the pods whose sandbox is gone (a missed event). */
  lostSandboxes(sandboxes: ReadonlyMap<string, string>): Promise<readonly string[]>
  /** Removes everything of the pod: containers, sandbox, volumes. Idempotent. */
  removePod(uid: string): Promise<void>
  logs(id: string, opts: LogOptions): AsyncIterable<Uint8Array>
  close(): Promise<void>
}

/** The runtime's logger: pino's shape, so an agent's child logger fits. */
export interface RuntimeLogger {
  debug(obj: object, msg?: string): void
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

export const silentLogger: RuntimeLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }
