// What the orchestration workload checks, as pure functions over what it observed: the instances that
// really run (live processes or containers carrying the run's marker) and what the cluster state says.
//
// - At every sample during the run: no pod runs twice (two live instances of one pod uid).
// - After the final heal, within the stated bound: exactly `replicas` instances, one per pod; each pod
//   is Running in the state, bound to the node whose agent runs it; that agent is a current member
//   (nothing runs on a node that left) and alive (nothing orphaned by a killed agent).
//
// A paused or cut-off node's pods keep running while the leader replaces them elsewhere, as in
// Kubernetes: the replacements are other pods (other uids), so that is never "running twice"; it only
// has to be over once the fleet converged.

/** Who runs an instance: a live agent (by member id), or nobody (its agent died or left without stopping it). */
export type Runner = { readonly kind: 'agent'; readonly memberId: string } | { readonly kind: 'orphan'; readonly detail: string }

/** One live copy of the replica's container: a process or a container found on this machine. */
export interface Instance {
  /** `pid 1234` or `container 3f2a…`. */
  readonly id: string
  readonly podUid: string
  readonly runner: Runner
}

export interface PodView {
  readonly uid: string
  readonly name: string
  readonly nodeName: string | undefined
  readonly phase: string | undefined
}

export interface StateView {
  /** The deployment's pods as the state has them. */
  readonly pods: readonly PodView[]
  /** Node name → the member id its agent wrote (`podmesh.io/member-id`). */
  readonly nodeMembers: ReadonlyMap<string, string>
  /** Member ids of the current Raft configuration. */
  readonly members: ReadonlySet<string>
}

export interface Duplicate {
  readonly podUid: string
  readonly pod: string
  readonly instances: readonly string[]
}

/** Pods with more than one live instance. `names` maps uids to pod names where known. */
export function findDuplicates(instances: readonly Instance[], names: ReadonlyMap<string, string>): Duplicate[] {
  const byUid = new Map<string, Instance[]>()
  for (const i of instances) byUid.set(i.podUid, [...(byUid.get(i.podUid) ?? []), i])
  const out: Duplicate[] = []
  for (const [uid, list] of byUid) {
    if (list.length > 1) out.push({ podUid: uid, pod: names.get(uid) ?? `uid ${uid}`, instances: list.map(describeInstance) })
  }
  return out
}

export function describeInstance(i: Instance): string {
  return `${i.id} (${i.runner.kind === 'agent' ? `agent ${i.runner.memberId}` : `orphan: ${i.runner.detail}`})`
}

/** Empty when the fleet has converged to exactly `replicas`; otherwise every way it has not. */
export function convergenceProblems(instances: readonly Instance[], state: StateView, replicas: number): string[] {
  const problems: string[] = []
  const pods = new Map(state.pods.map((p) => [p.uid, p]))
  const names = new Map(state.pods.map((p) => [p.uid, p.name]))
  if (instances.length !== replicas) problems.push(`${instances.length} instances run, want ${replicas}`)
  for (const d of findDuplicates(instances, names)) problems.push(`pod ${d.pod} runs ${d.instances.length} times: ${d.instances.join(', ')}`)
  for (const i of instances) {
    const where = describeInstance(i)
    const pod = pods.get(i.podUid)
    if (i.runner.kind === 'orphan') problems.push(`${where} of ${pod?.name ?? `pod uid ${i.podUid}`} has no agent`)
    else if (!state.members.has(i.runner.memberId)) problems.push(`${where} of ${pod?.name ?? `pod uid ${i.podUid}`} runs on a node that left`)
    if (pod === undefined) {
      problems.push(`${where} runs pod uid ${i.podUid}, which the state no longer has`)
      continue
    }
    const owner = pod.nodeName === undefined ? undefined : state.nodeMembers.get(pod.nodeName)
    if (i.runner.kind === 'agent' && owner !== i.runner.memberId) problems.push(`${where} runs ${pod.name}, bound to ${pod.nodeName ?? 'no node'} (member ${owner ?? '?'})`)
  }
  const running = state.pods.filter((p) => p.phase === 'Running')
  if (running.length !== replicas) problems.push(`the state has ${running.length} Running pods, want ${replicas}`)
  const live = new Set(instances.map((i) => i.podUid))
  for (const p of running) if (!live.has(p.uid)) problems.push(`${p.name} is Running on ${p.nodeName ?? '?'} in the state, but nothing runs it`)
  for (const p of state.pods) if (live.has(p.uid) && p.phase !== 'Running') problems.push(`${p.name} runs, but the state says ${p.phase ?? 'no phase'}`)
  return problems
}
