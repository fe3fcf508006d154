// Which runtime, on which node, holds the log a request asks for: decided from the replicated state on
// the node that took the request, so every refusal (no such pod, not scheduled, which container) is
// answered there without a round trip to the pod's node.
import { MEMBER_ID_ANNOTATION, annotationsOf, arr, podNodeName, podPhase, podStatusOf, rec } from '../controllers/objects.js'
import type { NodeId } from '../raft/types.js'
import type { ClusterState } from '../state/cluster-state.js'
import type { StoredObject } from '../state/store.js'
import { ApiFailure } from './api/errors.js'

/** What `GET /v1/pods/{name}/log` asks for, parsed. */
export interface LogRequest {
  readonly namespace: string
  readonly pod: string
  /** Absent: the pod's only container. */
  readonly container?: string
  readonly follow: boolean
  /** The last N lines; absent: all the output kept. */
  readonly tail?: number
  readonly previous: boolean
}

/** A container's log, located. */
export interface LogTarget {
  readonly uid: string
  readonly pod: string
  readonly container: string
  readonly nodeName: string
  readonly nodeId: NodeId
}

/** Throws ApiFailure (NotFound, BadRequest, NodeUnavailable) with what to do next. */
export function resolveLogTarget(state: ClusterState, req: LogRequest): LogTarget {
  const pod = state.store.get({ kind: 'Pod', namespace: req.namespace, name: req.pod })
  if (!pod) throw new ApiFailure('NotFound', `pod "${req.pod}" not found in namespace "${req.namespace}"; list them with \`agent get pods -n ${req.namespace}\``)
  const container = chooseContainer(pod, req.container)
  const nodeName = podNodeName(pod)
  if (!nodeName) {
    const reason = stringAt(podStatusOf(pod), 'reason')
    throw new ApiFailure('BadRequest', `pod "${req.pod}" is not scheduled yet (phase ${podPhase(pod)}${reason ? `, ${reason}` : ''}); retry when it runs (\`agent describe pod ${req.pod}\` says why it waits)`)
  }
  const waiting = waitingReason(pod, container)
  if (waiting) throw new ApiFailure('BadRequest', `container "${container}" in pod "${req.pod}" is waiting to start (${waiting}); retry when it runs`)
  return { uid: pod.uid, pod: req.pod, container, nodeName, nodeId: nodeIdOf(state, nodeName) }
}

function chooseContainer(pod: StoredObject, asked: string | undefined): string {
  const names = arr(rec(pod.object.spec).containers)
    .map((c) => c.name)
    .filter((n): n is string => typeof n === 'string')
  const listed = names.join(', ')
  if (asked === undefined) {
    if (names.length === 1) return names[0]!
    throw new ApiFailure('BadRequest', `pod "${pod.name}" has ${names.length} containers (${listed}): choose one with -c (container=)`, { containers: names })
  }
  if (!names.includes(asked)) throw new ApiFailure('BadRequest', `container "${asked}" is not in pod "${pod.name}"; its containers: ${listed}`, { containers: names })
  return asked
}

/** The stored status says the container has never started (e.g. ContainerCreating): there is no output yet. */
function waitingReason(pod: StoredObject, container: string): string | undefined {
  const cs = arr(podStatusOf(pod).containerStatuses).find((c) => c.name === container)
  if (!cs || cs.lastState !== undefined || (typeof cs.restartCount === 'number' && cs.restartCount > 0)) return undefined
  const waiting = rec(cs.state).waiting
  if (waiting === undefined) return undefined
  return stringAt(rec(waiting), 'reason') ?? 'Waiting'
}

function nodeIdOf(state: ClusterState, nodeName: string): NodeId {
  const member = state.members.byName(nodeName)
  if (member) return member.id
  const node = state.store.get({ kind: 'Node', namespace: '', name: nodeName })
  const id = node ? annotationsOf(node)[MEMBER_ID_ANNOTATION] : undefined
  if (id && state.members.get(id)) return id
  throw new ApiFailure('NodeUnavailable', `node "${nodeName}", which the pod is bound to, is not a member of the cluster any more; its pods are replaced elsewhere, retry with the new pod`)
}

function stringAt(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key]
  return typeof v === 'string' && v !== '' ? v : undefined
}
