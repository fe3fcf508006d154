// The labels on everything the Docker runtime makes. Lists go through label filters only, so an agent
// never sees (let alone touches) a container without them or one of another node.

export const LABEL = {
  managed: 'io.podmesh.managed',
  node: 'io.podmesh.node',
  podUid: 'io.podmesh.pod-uid',
  container: 'io.podmesh.container',
  configHash: 'io.podmesh.config-hash',
  restartCount: 'io.podmesh.restart-count',
  backoffFailures: 'io.podmesh.backoff-failures',
  podName: 'io.podmesh.pod-name',
  podNamespace: 'io.podmesh.pod-namespace',
} as const

/** The container label of a pod's infra container. Container names are DNS labels, so none is upper case. */
export const INFRA = 'POD'

/** Docker label filters for this node's objects, optionally of one pod. */
export function labelFilter (nodeId: string, uid?: string): string[] {
  const f = [`${LABEL.managed}=true`, `${LABEL.node}=${nodeId}`]
  if (uid !== undefined) f.push(`${LABEL.podUid}=${uid}`)
  return f
}

/** Whether these labels mark an object of this node (a second check behind the engine's filter). */
export function ownedBy (labels: Readonly<Record<string, string>> | undefined, nodeId: string): boolean {
  return labels?.[LABEL.managed] === 'true' && labels[LABEL.node] === nodeId
}

function safe (s: string): string {
  return s.replace(/[^a-zA-Z0-9_.-]/g, '-')
}

export function containerName (uid: string, name: string, restartCount: number): string {
  return `podmesh_${safe(uid)}_${safe(name)}_${restartCount}`
}

export function infraName (uid: string, configHash: string): string {
  return `podmesh_${safe(uid)}_${INFRA}_${configHash.slice(0, 8)}`
}

export function volumeName (uid: string, volume: string): string {
  return `podmesh_${safe(uid)}_${safe(volume)}`
}
