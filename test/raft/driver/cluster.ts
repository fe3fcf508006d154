// A cluster of real drivers in one process: LevelStorage in temp dirs, MemoryNetwork between them.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decode, encode } from '../../../src/raft/codec.js'
import { RaftDriver } from '../../../src/raft/driver.js'
import type { RaftDriverOptions, StateMachine } from '../../../src/raft/driver.js'
import { LevelStorage } from '../../../src/raft/level-storage.js'
import { MemoryNetwork } from '../../../src/raft/memory-transport.js'
import type { Entry, NodeId, Snapshot } from '../../../src/raft/types.js'

/** Keeps the payloads of applied normal entries, as strings. */
export class ListMachine implements StateMachine {
  items: string[] = []
  restoredFrom = 0

  apply(entries: readonly Entry[]): void {
    for (const e of entries) if (e.type === 'normal' && e.data.length > 0) this.items.push(Buffer.from(e.data).toString('utf8'))
  }

  restore(snapshot: Snapshot): void {
    this.items = snapshot.data.length > 0 ? decode<string[]>(snapshot.data) : []
    this.restoredFrom = snapshot.metadata.index
  }

  snapshot(): Uint8Array {
    return encode(this.items)
  }
}

export interface Member {
  readonly id: NodeId
  readonly dir: string
  driver: RaftDriver
  store: LevelStorage
  machine: ListMachine
}

export type DriverTuning = Omit<RaftDriverOptions, 'id' | 'bootstrap'>

export const TEST_TUNING: DriverTuning = { tickMs: 5, raft: { electionTick: 10, heartbeatTick: 1 } }

export async function waitUntil(what: string, cond: () => boolean, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

export class TestCluster {
  readonly net = new MemoryNetwork()
  readonly members = new Map<NodeId, Member>()

  private constructor(
    readonly root: string,
    readonly tuning: DriverTuning,
  ) {}

  static async create(prefix: string, tuning: DriverTuning = TEST_TUNING): Promise<TestCluster> {
    return new TestCluster(await mkdtemp(join(tmpdir(), prefix)), tuning)
  }

  /** Bootstraps the first id, then adds the others one at a time as voters. */
  async form(ids: readonly NodeId[]): Promise<void> {
    await this.start(ids[0]!, { bootstrap: true })
    await waitUntil(`${ids[0]} leads`, () => this.leader()?.id === ids[0])
    for (const id of ids.slice(1)) await this.join(id, 'addVoter')
  }

  async join(id: NodeId, as: 'addVoter' | 'addLearner'): Promise<void> {
    await this.start(id)
    await this.retry(() => this.leaderOrThrow().driver.proposeConfChange({ type: as, node: id }))
    await waitUntil(`${id} joined`, () => this.members.get(id)!.driver.status().conf[as === 'addVoter' ? 'voters' : 'learners'].includes(id))
  }

  async start(id: NodeId, opts: { bootstrap?: boolean } = {}): Promise<Member> {
    const dir = join(this.root, id)
    const store = await LevelStorage.open(dir)
    const machine = new ListMachine()
    const transport = this.net.endpoint(id)
    const driver = await RaftDriver.start({ storage: store, transport, stateMachine: machine }, { ...this.tuning, id, bootstrap: opts.bootstrap ?? false })
    transport.attach(driver)
    const m: Member = { id, dir, driver, store, machine }
    this.members.set(id, m)
    return m
  }

  async stop(id: NodeId): Promise<void> {
    const m = this.members.get(id)!
    this.net.detach(id)
    await m.driver.stop()
    await m.store.close()
  }

  leader(): Member | undefined {
    let best: Member | undefined
    for (const m of this.members.values()) {
      const s = m.driver.status()
      if (s.role === 'leader' && (!best || s.term > best.driver.status().term)) best = m
    }
    return best
  }

  leaderOrThrow(): Member {
    const l = this.leader()
    if (!l) throw new Error('no leader')
    return l
  }

  /** Retries a call refused for a transient reason (no leader yet, change pending). */
  async retry<T>(fn: () => Promise<T>, limitMs = 20_000): Promise<T> {
    const deadline = Date.now() + limitMs
    for (;;) {
      try {
        return await fn()
      } catch (err) {
        if (Date.now() > deadline) throw err
        await new Promise((r) => setTimeout(r, 10))
      }
    }
  }

  async destroy(): Promise<void> {
    for (const m of this.members.values()) {
      this.net.detach(m.id)
      await m.driver.stop()
      await m.store.close()
    }
    await rm(this.root, { recursive: true, force: true })
  }
}
