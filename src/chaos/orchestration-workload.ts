// The orchestration workload: a Deployment runs throughout the chaos run; what really runs on the
// machine is sampled every second (orchestration-observe.ts) and checked (orchestration-check.ts):
// no pod ever runs twice, and after the final heal the fleet converges, within `convergeBoundMs`, to
// exactly `replicas` instances, each a Running pod of the state on a live, current member.
import { httpJson } from './http.js'
import { convergenceProblems, findDuplicates, type Duplicate, type Instance, type PodView, type StateView } from './orchestration-check.js'
import { MARKER_ENV, VOLUME_NAME, type AgentPids, type InstanceObserver } from './orchestration-observe.js'
import type { Workload, WorkloadContext, WorkloadVerdict } from './workload.js'

export const DEPLOYMENT = 'chaos-orch'
export const DEFAULT_CONVERGE_BOUND_MS = 60_000

export interface OrchestrationWorkloadOptions {
  /** Default 6. */
  readonly replicas?: number
  /** How long after the final heal the fleet may take to converge. Default 60 s. */
  readonly convergeBoundMs?: number
  /** Default 1000 ms. */
  readonly sampleMs?: number
}

/** An agent of the run as the runner knows it. */
export interface AgentRef {
  readonly api: string
  readonly pid: number | undefined
  readonly running: boolean
  readonly paused: boolean
}

export function deploymentManifest(runId: string, replicas: number): Record<string, unknown> {
  const labels = { app: DEPLOYMENT }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: DEPLOYMENT, namespace: 'default', labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'replica',
              image: 'podmesh-test/busybox:1',
              imagePullPolicy: 'Never',
              // Not `sh -c`: a shell's children would carry the marker too and count as instances.
              command: ['sleep', '86400'],
              env: [{ name: MARKER_ENV, value: runId }],
              volumeMounts: [{ name: VOLUME_NAME, mountPath: '/chaos' }],
            },
          ],
          volumes: [{ name: VOLUME_NAME, emptyDir: {} }],
        },
      },
    },
  }
}

interface Converged {
  readonly ok: boolean
  /** ms after the end of the fault window. */
  readonly ms: number
  readonly problems: readonly string[]
}

export class OrchestrationWorkload implements Workload {
  readonly name = 'orchestration'
  private readonly replicas: number
  private readonly boundMs: number
  private readonly sampleMs: number
  private readonly members = new Map<number, string>()
  private readonly podNames = new Map<string, string>()
  private readonly duplicates: (Duplicate & { readonly atMs: number })[] = []
  private samples = 0
  private maxInstances = 0
  private created = false
  private started = 0
  private faultWindowEnd = 0
  private converged: Converged | undefined

  constructor(
    private readonly runId: string,
    private readonly observer: InstanceObserver,
    private readonly agents: () => readonly AgentRef[],
    opts: OrchestrationWorkloadOptions = {},
  ) {
    this.replicas = opts.replicas ?? 6
    this.boundMs = opts.convergeBoundMs ?? DEFAULT_CONVERGE_BOUND_MS
    this.sampleMs = opts.sampleMs ?? 1_000
  }

  async run(ctx: WorkloadContext, signal: AbortSignal): Promise<void> {
    this.started = performance.now()
    await this.createDeployment(ctx, signal)
    // Bounded by the signal.
    while (!signal.aborted) {
      await this.sample()
      await sleep(this.sampleMs, signal)
    }
    this.faultWindowEnd = performance.now()
  }

  private async createDeployment(ctx: WorkloadContext, signal: AbortSignal): Promise<void> {
    const body = deploymentManifest(this.runId, this.replicas)
    // Bounded by the signal; a node that is down or cut off gives way to the next.
    for (let attempt = 0; !signal.aborted; attempt++) {
      const endpoints = ctx.endpoints()
      const r = await httpJson('PUT', `${endpoints[attempt % endpoints.length]!}/v1/deployments/${DEPLOYMENT}`, body, 5_000)
      if (r.kind === 'response' && (r.status === 200 || r.status === 201)) {
        this.created = true
        ctx.log(`orchestration: deployment ${DEPLOYMENT} with ${this.replicas} replicas created`)
        return
      }
      await sleep(500, signal)
    }
  }

  /** One look at what runs; any pod running twice is recorded. */
  private async sample(): Promise<Instance[]> {
    const instances = await this.observer.observe(await this.agentPids())
    this.samples++
    this.maxInstances = Math.max(this.maxInstances, instances.length)
    const dups = findDuplicates(instances, this.podNames)
    if (dups.length > 0) {
      await this.learnPodNames()
      const atMs = Math.round(performance.now() - this.started)
      for (const d of findDuplicates(instances, this.podNames)) this.duplicates.push({ ...d, atMs })
    }
    return instances
  }

  /** Live agents' pids with their member ids, asked once per agent process. */
  private async agentPids(): Promise<AgentPids> {
    const out = new Map<number, string | undefined>()
    for (const a of this.agents()) {
      if (!a.running || a.pid === undefined) continue
      if (!this.members.has(a.pid) && !a.paused) {
        const r = await httpJson('GET', `${a.api}/v1/status`, undefined, 1_000)
        const id = r.kind === 'response' && r.status === 200 ? (r.body as { node?: { id?: string } }).node?.id : undefined
        if (id !== undefined) {
          this.members.set(a.pid, id)
          this.observer.addNode(id)
        }
      }
      out.set(a.pid, this.members.get(a.pid))
    }
    return out
  }

  private async learnPodNames(): Promise<void> {
    for (const base of this.liveEndpoints()) {
      const r = await httpJson('GET', `${base}/v1/pods?namespace=default&labelSelector=app%3D${DEPLOYMENT}&stale=true`, undefined, 1_000)
      if (r.kind !== 'response' || r.status !== 200) continue
      for (const p of podViews(r.body)) this.podNames.set(p.uid, p.name)
      return
    }
  }

  private liveEndpoints(): string[] {
    return this.agents().filter((a) => a.running && !a.paused).map((a) => a.api)
  }

  /** After the heal: samples until the fleet has converged, or the bound from the end of the fault window is over. */
  async final(ctx: WorkloadContext): Promise<void> {
    if (!this.created) return
    const deadline = this.faultWindowEnd + this.boundMs
    let problems: string[] = ['not looked at yet']
    // Bounded by the deadline.
    while (performance.now() < deadline) {
      const instances = await this.sample()
      const state = await this.readState()
      problems = state === undefined ? ['no node answered the state reads'] : convergenceProblems(instances, state, this.replicas)
      if (problems.length === 0) break
      await sleep(this.sampleMs)
    }
    const ms = Math.round(performance.now() - this.faultWindowEnd)
    this.converged = { ok: problems.length === 0, ms, problems }
    ctx.log(problems.length === 0 ? `orchestration: converged to ${this.replicas} replicas ${ms} ms after the heal` : `orchestration: NOT converged ${ms} ms after the heal: ${problems.slice(0, 3).join('; ')}`)
  }

  /** The deployment's pods, the nodes' member ids and the current members, read (linearizably) from one node. */
  private async readState(): Promise<StateView | undefined> {
    for (const base of this.liveEndpoints()) {
      const [pods, nodes, status] = await Promise.all([
        httpJson('GET', `${base}/v1/pods?namespace=default&labelSelector=app%3D${DEPLOYMENT}`, undefined, 3_000),
        httpJson('GET', `${base}/v1/nodes`, undefined, 3_000),
        httpJson('GET', `${base}/v1/status`, undefined, 3_000),
      ])
      if (![pods, nodes, status].every((r) => r.kind === 'response' && r.status === 200)) continue
      const views = podViews((pods as { body: unknown }).body)
      for (const p of views) this.podNames.set(p.uid, p.name)
      const nodeMembers = new Map<string, string>()
      for (const n of items((nodes as { body: unknown }).body)) {
        const meta = (n.metadata ?? {}) as { name?: string; annotations?: Record<string, string> }
        const member = meta.annotations?.['podmesh.io/member-id']
        if (meta.name && member) nodeMembers.set(meta.name, member)
      }
      const members = new Set(((status as { body: unknown }).body as { members?: { id: string }[] }).members?.map((m) => m.id) ?? [])
      return { pods: views, nodeMembers, members }
    }
    return undefined
  }

  async check(): Promise<WorkloadVerdict> {
    const c = this.converged
    const violation = this.duplicates.length > 0 || (c !== undefined && !c.ok)
    const result = violation ? 'violation' : c === undefined ? 'unknown' : 'ok'
    const summary = {
      runtime: this.observer.runtime,
      replicas: this.replicas,
      convergeBoundMs: this.boundMs,
      samples: this.samples,
      maxInstances: this.maxInstances,
      duplicates: this.duplicates.slice(0, 50),
      converged: c ?? null,
    }
    const text = [
      `deployment ${DEPLOYMENT}: ${this.replicas} replicas, ${this.observer.runtime} runtime; ${this.samples} samples of what runs, at most ${this.maxInstances} instances at once`,
      `pods running twice: ${this.duplicates.length === 0 ? 'never' : this.duplicates.length}`,
      ...this.duplicates.slice(0, 20).map((d) => `  ${(d.atMs / 1000).toFixed(1)}s ${d.pod}: ${d.instances.join(', ')}`),
      c === undefined
        ? `convergence after the heal: not checked${this.created ? ' (the cluster did not recover)' : ' (the deployment was never created)'}`
        : c.ok
          ? `converged to exactly ${this.replicas} replicas on current members ${(c.ms / 1000).toFixed(1)} s after the heal (bound ${this.boundMs / 1000} s)`
          : `NOT converged within ${this.boundMs / 1000} s of the heal:`,
      ...(c && !c.ok ? c.problems.slice(0, 30).map((p) => `  ${p}`) : []),
    ]
    return { name: this.name, result, summary, text, history: summary }
  }

  /** Stops whatever instances are left (the agents die by SIGKILL at the end; their pods would not). */
  async cleanUp(): Promise<number> {
    return this.observer.removeAll()
  }

  cleanUpNow(): void {
    this.observer.removeAllNow()
  }
}

function items(body: unknown): Record<string, unknown>[] {
  return ((body as { items?: Record<string, unknown>[] } | undefined)?.items ?? []).filter((i) => typeof i === 'object' && i !== null)
}

export function podViews(body: unknown): PodView[] {
  return items(body).map((p) => {
    const meta = (p.metadata ?? {}) as { uid?: string; name?: string }
    const spec = (p.spec ?? {}) as { nodeName?: string }
    const status = (p.status ?? {}) as { phase?: string }
    return { uid: meta.uid ?? '', name: meta.name ?? '', nodeName: spec.nodeName, phase: status.phase }
  })
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const t = setTimeout(done, ms)
    function done() {
      clearTimeout(t)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}
