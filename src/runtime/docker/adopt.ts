// After an agent restart: this node's containers, grouped by pod, with the newest run of each container.
// Older runs are removed. A pod whose infra container is not running cannot be adopted (its network
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

async function newestRuns (docker: Docker, list: Docker.ContainerInfo[]): Promise<AdoptedContainer[]> {
  const newest = new Map<string, Docker.ContainerInfo>()
  const count = (c: Docker.ContainerInfo): number => Number(c.Labels[LABEL.restartCount] ?? 0)
  for (const c of list) {
    const name = c.Labels[LABEL.container]!
    const best = newest.get(name)
    if (best === undefined || count(c) > count(best)) newest.set(name, c)
  }
  const out: AdoptedContainer[] = []
  for (const c of list) {
    if (newest.get(c.Labels[LABEL.container]!) !== c) {
      await docker.getContainer(c.Id).remove({ force: true }).catch(err => { if (!isStatus(err, 404)) throw err })
      continue
    }
    const info = await docker.getContainer(c.Id).inspect()
    out.push({
      name: c.Labels[LABEL.container]!,
      id: c.Id,
      restartCount: count(c),
      startedAt: startedAtOf(info),
      ...(info.State.Running ? {} : { exit: exitOf(info) }),
    })
  }
  return out
}
