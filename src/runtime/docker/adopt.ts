// After an agent restart: this node's containers, grouped by pod, with the newest run of each container
// (and the run before it while it runs). Older runs are removed. A pod whose infra container is not running cannot be adopted (its network
// namespace is gone): it is reported with an empty config hash, so the runtime replaces it.
import type Docker from 'dockerode'
import type { AdoptedContainer, AdoptedPod } from '../driver.js'
import { isStatus } from './docker-errors.js'
import { exitOf, startedAtOf } from './inspect.js'
import { INFRA, LABEL, labelFilter, ownedBy } from './labels.js'
import { describe, type Sandbox } from './sandbox.js'

export async function findPods (docker: Docker, nodeId: string): Promise<{ pods: AdoptedPod[], infra: Map<string, Sandbox> }> {
  const all = await docker.listContainers({ all: true, filters: { label: labelFilter(nodeId) } })
  const byPod = new Map<string, Docker.ContainerInfo[]>()
  for (const c of all) {
    if (!ownedBy(c.Labels, nodeId)) continue
    const uid = c.Labels[LABEL.podUid]
    if (uid === undefined) continue
    const list = byPod.get(uid) ?? []
    list.push(c)
    byPod.set(uid, list)
  }
  const pods: AdoptedPod[] = []
  const infra = new Map<string, Sandbox>()
  for (const [uid, list] of byPod) {
    const sandboxC = list.find(c => c.Labels[LABEL.container] === INFRA && c.State === 'running')
    const hash = sandboxC?.Labels[LABEL.configHash] ?? ''
    if (sandboxC === undefined) { pods.push({ uid, configHash: '', sandbox: {}, containers: [] }); continue }
    const sandbox = await describe(docker, sandboxC.Id)
    infra.set(uid, sandbox)
    const containers = await newestRuns(docker, list.filter(c => c.Labels[LABEL.container] !== INFRA && c.Labels[LABEL.configHash] === hash))
    pods.push({ uid, configHash: hash, sandbox, containers })
  }
  return { pods, infra }
}

/**
 * Per container: the newest run, and while it runs, the exited run before it (for `logs --previous`;
 * the supervisor keeps one exited run, see container-supervisor.ts). Older runs are removed.
 */
async function newestRuns (docker: Docker, list: Docker.ContainerInfo[]): Promise<AdoptedContainer[]> {
  const byName = new Map<string, Docker.ContainerInfo[]>()
  for (const c of list) {
    const name = c.Labels[LABEL.container]!
    byName.set(name, [...(byName.get(name) ?? []), c])
  }
  const out: AdoptedContainer[] = []
  for (const [name, runs] of byName) {
    runs.sort((a, b) => labelNumber(b, LABEL.restartCount) - labelNumber(a, LABEL.restartCount))
    const [newest, before, ...older] = runs as [Docker.ContainerInfo, ...Docker.ContainerInfo[]]
    const info = await docker.getContainer(newest.Id).inspect()
    const keepBefore = info.State.Running && before !== undefined && before.State !== 'running'
    for (const c of keepBefore ? older : [before, ...older]) {
      if (c !== undefined) await docker.getContainer(c.Id).remove({ force: true }).catch(err => { if (!isStatus(err, 404)) throw err })
    }
    out.push({
      name,
      id: newest.Id,
      restartCount: labelNumber(newest, LABEL.restartCount),
      backoffFailures: labelNumber(newest, LABEL.backoffFailures),
      startedAt: startedAtOf(info),
      ...(info.State.Running ? {} : { exit: exitOf(info) }),
      ...(keepBefore ? { previousId: before.Id } : {}),
    })
  }
  return out
}

/** A count kept in a label; 0 when absent (a container made before the label existed). */
function labelNumber (c: Docker.ContainerInfo, label: string): number {
  const n = Number(c.Labels[label] ?? 0)
  return Number.isSafeInteger(n) && n >= 0 ? n : 0
}
