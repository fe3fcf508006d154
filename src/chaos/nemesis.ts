// Carries out the fault schedule on a running cluster: each fault at its time, healed after its
// duration, one at a time. What was done, to whom and when, goes to the report.
import { httpJson } from './http.js'
import { describeCuts, cutLinks } from './partitions.js'
import { describeFault, type NodeRef, type ScheduledFault } from './faults.js'
import type { ChaosCluster } from './cluster.js'
import type { PacketFilter } from './filter.js'

export interface FaultRecord {
  readonly id: number
  readonly kind: string
  readonly description: string
  /** What it was done to (node names, cut links), resolved when it started. */
  target: string
  /** ms since the workload started. */
  start: number
  healed: number | null
  /** False when the fault could not be injected as planned (see note). */
  injected: boolean
  note?: string
}

export interface NemesisDeps {
  readonly cluster: ChaosCluster
  readonly filter: PacketFilter
  /** ms since the workload started. */
  readonly elapsed: () => number
  readonly log: (line: string) => void
}

export class Nemesis {
  readonly records: FaultRecord[] = []

  constructor(private readonly deps: NemesisDeps) {}

  /** Runs the schedule until it ends or `signal` aborts; every fault started is healed before it returns. */
  async run(schedule: readonly ScheduledFault[], signal: AbortSignal): Promise<void> {
    for (const f of schedule) {
      await sleepUntil(() => this.deps.elapsed() >= f.at, signal)
      if (signal.aborted) return
      const rec: FaultRecord = { id: f.id, kind: f.fault.kind, description: describeFault(f.fault), target: '', start: Math.round(this.deps.elapsed()), healed: null, injected: false }
      this.records.push(rec)
      let heal: () => Promise<void> = async () => undefined
      try {
        heal = await this.inject(f, rec)
        rec.injected = true
      } catch (err) {
        rec.note = `not injected: ${(err as Error).message}`
      }
      this.deps.log(`[${fmt(rec.start)}] fault ${f.id}: ${rec.description} -> ${rec.target}${rec.note ? ` (${rec.note})` : ''}`)
      await sleepUntil(() => this.deps.elapsed() >= f.at + f.duration, signal)
      try {
        await heal()
      } catch (err) {
        rec.note = `${rec.note ?? ''} heal failed: ${(err as Error).message}`.trim()
      }
      rec.healed = Math.round(this.deps.elapsed())
      this.deps.log(`[${fmt(rec.healed)}] healed fault ${f.id}`)
    }
  }

  private async resolve(ref: NodeRef, rec: FaultRecord): Promise<number> {
    if ('index' in ref) return ref.index
    const slot = await this.deps.cluster.leaderSlot()
    if (slot !== undefined) return slot
    rec.note = 'no leader known; took n1'
    return 0
  }

  /** Injects the fault and returns how to heal it. */
  private async inject(f: ScheduledFault, rec: FaultRecord): Promise<() => Promise<void>> {
    const { cluster, filter } = this.deps
    const fault = f.fault
    if (fault.kind === 'partition') {
      const leader = fault.shape === 'leader' ? await cluster.leaderSlot() : undefined
      if (fault.shape === 'leader' && leader === undefined) rec.note = 'no leader known; isolated the first of the order'
      const cuts = cutLinks(fault.shape, fault.order, leader)
      rec.target = describeCuts(cuts)
      await filter.apply(cuts)
      return async () => filter.heal()
    }
    const node = cluster.nodes[await this.resolve(fault.node, rec)]!
    rec.target = node.name
    if (!node.running) throw new Error(`${node.name} is not running`)
    switch (fault.kind) {
      case 'kill':
        await node.kill9()
        return async () => node.start({ kind: 'start' })
      case 'pause':
        node.signal('SIGSTOP')
        return async () => void node.signal('SIGCONT')
      case 'membership':
        return this.leave(node.slot, rec)
    }
  }

  /**
   * `POST /v1/leave` (what `agent leave` does); the heal joins again with a fresh data dir. Like an
   * operator, it removes a node only from a healthy cluster and retries a refused leave; a node that
   * could not leave keeps running with its data (wiping a member that is still a voter would be a
   * permanent loss no Raft cluster can be asked to survive).
   */
  private async leave(slot: number, rec: FaultRecord): Promise<() => Promise<void>> {
    const { cluster } = this.deps
    const node = cluster.nodes[slot]!
    const problem = await cluster.waitHealthy(5_000)
    if (problem !== undefined) throw new Error(`the cluster is not healthy (${problem})`)
    let answer = ''
    for (let attempt = 1; attempt <= 3; attempt++) {
      const r = await httpJson('POST', `${node.api}/v1/leave`, undefined, 20_000)
      if (r.kind === 'response' && r.status === 200) {
        if (!(await node.waitForExit(15_000))) {
          rec.note = 'left, but the agent did not stop; killed it'
          await node.kill9()
        }
        return async () => cluster.rejoin(node)
      }
      if (!node.running || (r.kind === 'error' && (await node.waitForExit(5_000)))) {
        rec.note = 'the leave got no answer, but the agent stopped: it left'
        return async () => cluster.rejoin(node)
      }
      answer = r.kind === 'response' ? `${r.status} ${JSON.stringify(r.body).slice(0, 200)}` : `no answer (${String((r.error as Error)?.message ?? r.error)})`
      await new Promise((res) => setTimeout(res, 1_000))
    }
    throw new Error(`leave refused 3 times, last: ${answer}`)
  }
}

function fmt(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`
}

/** Polls every 50 ms; returns early when the signal aborts. */
async function sleepUntil(done: () => boolean, signal: AbortSignal): Promise<void> {
  while (!done() && !signal.aborted) await new Promise((r) => setTimeout(r, 50))
}
