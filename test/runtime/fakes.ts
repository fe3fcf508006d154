// A fake clock and a fake driver for the supervisors: time moves only when the test says, and the
// "engine" is a table the test reads and scripts.
import type { Clock, TimerHandle } from '../../src/runtime/clock.js'
import type { AdoptedPod, ContainerExit, EngineEvents, ExitHandler, PodDriver, SandboxInfo, StartContext, StartedContainer } from '../../src/runtime/driver.js'
import { ImagePullError } from '../../src/runtime/errors.js'
import type { Container } from '../../src/resources/index.js'
import type { RuntimePod } from '../../src/runtime/types.js'

interface Timer { at: number, seq: number, fn: () => void }

export class FakeClock implements Clock {
  private t = 1_700_000_000_000
  private seq = 0
  private readonly timers = new Map<number, Timer>()

  now (): number { return this.t }

  setTimeout (fn: () => void, ms: number): TimerHandle {
    const seq = ++this.seq
    this.timers.set(seq, { at: this.t + Math.max(0, ms), seq, fn })
    return seq
  }

  clearTimeout (h: TimerHandle): void { this.timers.delete(h as number) }

  /** Moves time forward by ms, firing due timers in order and letting promises settle after each. */
  async advance (ms: number): Promise<void> {
    const end = this.t + ms
    await settle()
    for (;;) {
      const next = [...this.timers.values()].filter(x => x.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0]
      if (next === undefined) break
      this.timers.delete(next.seq)
      this.t = next.at
      next.fn()
      await settle()
    }
    this.t = end
    await settle()
  }
}

export async function settle (): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}

export interface Run { id: string, uid: string, name: string, running: boolean, restartCount: number, backoffFailures: number }

export class FakeDriver implements PodDriver {
  readonly name = 'fake'
  readonly runs: Run[] = []
  readonly stops: string[] = []
  /** The runs discarded (exited containers removed), in order. */
  readonly discarded: string[] = []
  /** What adopt() finds: pods an earlier agent left. */
  adoptable: AdoptedPod[] = []
  /** Image pulls fail while this is above zero (one per attempt). */
  pullFailures = 0
  pulls = 0
  /** Exit code of exec probes, per container name (default 0). */
  readonly execResult = new Map<string, number>()
  private onExit: ExitHandler = () => {}
  private onSandboxLost: EngineEvents['sandboxLost'] = () => {}
  private sandboxes = 0
  /** The live sandbox per pod uid. */
  readonly sandbox = new Map<string, string>()
  private n = 0

  constructor (private readonly clock: FakeClock) {}

  async watch (h: EngineEvents): Promise<void> { this.onExit = h.exit; this.onSandboxLost = h.sandboxLost }
  async adopt (): Promise<readonly AdoptedPod[]> { return this.adoptable }
  async ensureSandbox (pod: RuntimePod): Promise<SandboxInfo> {
    const id = `s${++this.sandboxes}`
    this.sandbox.set(pod.uid, id)
    return { id, podIP: `10.0.0.${this.sandboxes}`, createdAt: this.clock.now() }
  }

  /** The pod's sandbox dies (as a killed infra container would); with an older id, a late event of a dead one. */
  killSandbox (uid: string, id = this.sandbox.get(uid)!): void {
    if (this.sandbox.get(uid) === id) this.sandbox.delete(uid)
    this.onSandboxLost(uid, id)
  }

  async ensureImage (c: Container): Promise<void> {
    this.pulls++
    if (this.pullFailures > 0) {
      this.pullFailures--
      throw new ImagePullError(`pull access denied for ${c.image}`)
    }
  }

  async startContainer (pod: RuntimePod, c: Container, ctx: StartContext): Promise<StartedContainer> {
    const id = `c${++this.n}`
    this.runs.push({ id, uid: pod.uid, name: c.name, running: true, restartCount: ctx.restartCount, backoffFailures: ctx.backoffFailures })
    return { id, startedAt: this.clock.now() }
  }

  /** The container's process ends with this code (as an engine event would say). */
  exit (id: string, exitCode: number): void {
    const run = this.runs.find(r => r.id === id)!
    run.running = false
    const exit: ContainerExit = { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', finishedAt: this.clock.now() }
    this.onExit(run.uid, run.name, id, exit)
  }

  async stopContainer (id: string): Promise<void> {
    this.stops.push(id)
    if (this.runs.find(r => r.id === id)?.running === true) this.exit(id, 137)
  }

  async discardContainer (id: string): Promise<void> { this.discarded.push(id) }

  async exec (_id: string, _pod: RuntimePod, c: Container): Promise<number> {
    return this.execResult.get(c.name) ?? 0
  }

  probeHost (): string { return '127.0.0.1' }
  async checkExited (): Promise<ReadonlyMap<string, ContainerExit>> { return new Map() }
  async lostSandboxes (): Promise<readonly string[]> { return [] }

  async removePod (uid: string): Promise<void> {
    for (const r of this.runs) if (r.uid === uid) r.running = false
  }

  /** A run's output is its id, so a test sees which run `logs` read. */
  logs (id: string): AsyncIterable<Uint8Array> { return (async function * () { yield new TextEncoder().encode(id) })() }
  async close (): Promise<void> {}

  current (name: string): Run | undefined {
    return [...this.runs].reverse().find(r => r.name === name)
  }
}
