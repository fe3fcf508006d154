// Rollout mechanics on three real agents with the fake runtime: revisions and history, `apply --wait`,
// a revision that cannot progress (its pods fit no node) is rolled back automatically and marked failed,
// `rollout undo` (and its error), pause and resume, and `rollout status` exit codes.
import t from 'tap'
import { apply, eventually, pods, threeAgents, type Agent, type Json } from '../orchestration/harness.js'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

function manifest(image: string, opts: { cause?: string; nodeSelector?: string } = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations: {${opts.cause ? `kubernetes.io/change-cause: "${opts.cause}"` : ''}}
spec:
  replicas: 4
  progressDeadlineSeconds: 4
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      ${opts.nodeSelector ? `nodeSelector: {${opts.nodeSelector}}` : ''}
      containers: [{name: main, image: ${image}, resources: {requests: {cpu: 100m, memory: 64Mi}}}]
`
}

const images = (items: readonly Json[]) => [...new Set(items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.containers[0].image as string))].sort()

async function settledOn(a: Agent, image: string): Promise<Json[]> {
  return eventually(`4 pods of ${image} only`, async () => {
    const items = (await pods(a, 'app=web')) ?? []
    const live = items.filter((p) => !p.metadata.deletionTimestamp)
    return live.length === 4 && images(items).join() === image && live.every((p) => p.status?.phase === 'Running') ? live : undefined
  })
}

t.test('rollouts on three agents (fake runtime)', async (t) => {
  const cluster = await threeAgents()
  const dir = await mkdtemp(join(tmpdir(), 'podmesh-rollout-'))
  t.teardown(async () => {
    await cluster.destroy()
    await rm(dir, { recursive: true, force: true })
  })
  t.teardown(() => void (t.passing() || console.error(cluster.logs())))
  const [a, b] = cluster.agents as [Agent, Agent]
  const file = async (name: string, text: string) => {
    const p = join(dir, name)
    await writeFile(p, text)
    return p
  }

  t.equal(await apply(a, manifest('app:v1', { cause: 'v1' })), 200)
  const status = await b.cli(['rollout', 'status', 'deployment', 'web', '--timeout', '60'])
  t.equal(status.code, 0, status.stderr)
  t.match(status.stdout, /deployment "web" successfully rolled out/)
  const first = await settledOn(a, 'app:v1')
  t.ok(first.every((p) => p.metadata.annotations['deployment.kubernetes.io/revision'] === '1'), 'pods carry revision 1')

  t.test('apply --wait follows a rolling update to revision 2', async (t) => {
    const r = await b.cli(['apply', '-f', await file('v2.yaml', manifest('app:v2', { cause: 'v2' })), '--wait', '--timeout', '60'])
    t.equal(r.code, 0, r.stderr)
    t.match(r.stdout, /deployment.apps\/web configured\n(.|\n)*deployment "web" successfully rolled out/)
    const live = await settledOn(a, 'app:v2')
    t.ok(live.every((p) => p.metadata.annotations['deployment.kubernetes.io/revision'] === '2'))
    const d = await a.get('/v1/deployments/web')
    t.equal(d?.metadata.annotations['deployment.kubernetes.io/revision'], '2')
    t.match(d?.status, { revision: 2, updatedReplicas: 4, availableReplicas: 4 })
    t.match(d?.status.conditions, [{ type: 'Available', status: 'True' }, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }])
    const h = await a.cli(['rollout', 'history', 'deployment', 'web'])
    t.match(h.stdout, /REVISION\s+STATE\s+CHANGE-CAUSE\n1\s+complete\s+v1\n2\s+current\s+v2/)
  })

  t.test('a revision that cannot progress is rolled back automatically', async (t) => {
    const r = await b.cli(['apply', '-f', await file('v3.yaml', manifest('app:v3', { cause: 'v3', nodeSelector: 'disk: none' })), '--wait', '--timeout', '60'])
    t.equal(r.code, 1, 'apply --wait fails')
    t.match(r.stderr, /deployment "web" rollout failed: revision 3 failed \(ProgressDeadlineExceeded.*rolled back to revision 2 \(now revision 4\)/)
    await settledOn(a, 'app:v2')
    const d = await a.get('/v1/deployments/web')
    t.equal(d?.spec.template.spec.containers[0].image, 'app:v2', 'the controller wrote the v2 template back')
    t.equal(d?.metadata.annotations['kubernetes.io/change-cause'], 'v2')
    t.match(d?.status.rollback, { from: 3, to: 2, revision: 4, reason: 'ProgressDeadlineExceeded' })
    const h = await a.cli(['rollout', 'history', 'deployment', 'web'])
    t.match(h.stdout, /1\s+complete\s+v1\n3\s+failed \(ProgressDeadlineExceeded\)\s+v3\n4\s+current\s+v2/)
    const desc = await a.cli(['describe', 'deployment', 'web'])
    t.match(desc.stdout, /Revision:\s+4\n(.|\n)*Rolled Back:\s+\S+ revision 3 failed \(ProgressDeadlineExceeded/)
    const s = await a.cli(['rollout', 'status', 'deployment', 'web', '--no-watch'])
    t.equal(s.code, 1, 'rollout status says it was rolled back')
    t.match(s.stderr, /rolled back to revision 2/)
  })

  t.test('undo to revision 1, and an undo to a revision that is not recorded', async (t) => {
    const bad = await a.cli(['rollout', 'undo', 'deployment', 'web', '--to-revision', '9'])
    t.equal(bad.code, 2)
    t.match(bad.stderr, /revision 9 of deployment "web" not found: revisions 1, 3, 4 are recorded/)
    const r = await a.cli(['rollout', 'undo', 'deployment', 'web', '--to-revision', '1'])
    t.equal(r.code, 0, r.stderr)
    t.match(r.stdout, /deployment.apps\/web rolled back to revision 1/)
    const s = await a.cli(['rollout', 'status', 'deployment', 'web', '--timeout', '60'])
    t.equal(s.code, 0, s.stderr)
    await settledOn(a, 'app:v1')
    t.equal((await a.get('/v1/deployments/web'))?.status.revision, 5)
  })

  t.test('paused: a new template is recorded but not rolled out until resume', async (t) => {
    t.equal((await a.cli(['rollout', 'pause', 'deployment', 'web'])).code, 0)
    t.equal(await apply(a, manifest('app:v6', { cause: 'v6' }).replace('replicas: 4', 'replicas: 4\n  paused: true')), 200)
    await eventually('revision 6 recorded and observed', async () => {
      const d = await a.get('/v1/deployments/web')
      return d?.status?.revision === 6 && d.status.observedGeneration === d.metadata.generation
    })
    // The controller has seen the change: a few more syncs (it resyncs every 2 s) still start nothing.
    await new Promise((r) => setTimeout(r, 2_500))
    t.same(images((await pods(a, 'app=web')) ?? []), ['app:v1'], 'no pod of the new template while paused')
    const d = await a.get('/v1/deployments/web')
    t.match(d?.status.conditions, [{}, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused' }])
    t.equal((await a.cli(['rollout', 'resume', 'deployment', 'web'])).code, 0)
    const s = await a.cli(['rollout', 'status', 'deployment', 'web', '--timeout', '60'])
    t.equal(s.code, 0, s.stderr)
    await settledOn(a, 'app:v6')
  })
})
