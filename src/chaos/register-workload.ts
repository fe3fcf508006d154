// The compare-and-set register workload: concurrent clients read, write and compare-and-set
// ConfigMaps through the HTTP API; the history is checked for linearizability and lost writes.
//
// Every write puts a fresh value (`c3-41`), so the checker can compare values; a cas sends the
// resourceVersion it read together with the value it read as `expected` (the version identifies the
// value). Keys rotate every `keyPeriodMs` (as Jepsen's independent keys do) so that each key's
// history, whose search is exponential in its concurrency, stays short.
import { randInt, seededRand, type Rand } from '../raft/rand.js'
import { httpJson } from './http.js'
import { checkLinearizability, formatReport, reportToJSON } from './linearizability.js'
import { findLostWrites } from './lost-writes.js'
import { classifyRead, classifyWrite, describeResult, resourceVersionOf, valueOf, type HttpResult } from './outcome.js'
import { countOutcomes, countReasons, HistoryRecorder } from './recorder.js'
import type { RegisterInput, RegisterOutput, RegisterValue } from './register-model.js'
import type { Workload, WorkloadContext, WorkloadVerdict } from './workload.js'

export interface RegisterWorkloadOptions {
  /** Concurrent clients. Default 5. */
  readonly clients?: number
  /** Keys in use at a time; at least the number of clients. Default: the number of clients. */
  readonly keys?: number
  /** A fresh set of keys every this many ms. Default 10 000. */
  readonly keyPeriodMs?: number
  /** A request unanswered after this long has an unknown outcome. Default 5000. */
  readonly opTimeoutMs?: number
  /** Pause between a client's operations: [min, max) ms. Default [20, 100). */
  readonly thinkMs?: readonly [number, number]
  /** Time the checker may spend. Default 60 000 ms. */
  readonly checkDeadlineMs?: number
}

interface Known {
  readonly value: RegisterValue
  readonly rv: string
}

export class RegisterWorkload implements Workload {
  readonly name = 'cas-register'
  private readonly recorder = new HistoryRecorder()
  private readonly clients: number
  private readonly keys: number
  private readonly keyPeriodMs: number
  private readonly opTimeoutMs: number
  private readonly thinkMs: readonly [number, number]
  private readonly usedKeys = new Set<string>()
  private readonly finalValues = new Map<string, RegisterValue>()
  private readonly finalProblems: string[] = []

  constructor(private readonly opts: RegisterWorkloadOptions = {}) {
    this.clients = opts.clients ?? 5
    this.keys = Math.max(opts.keys ?? this.clients, this.clients)
    this.keyPeriodMs = opts.keyPeriodMs ?? 10_000
    this.opTimeoutMs = opts.opTimeoutMs ?? 5_000
    this.thinkMs = opts.thinkMs ?? [20, 100]
  }

  async run(ctx: WorkloadContext, signal: AbortSignal): Promise<void> {
    await Promise.all(Array.from({ length: this.clients }, (_, c) => this.client(ctx, c, signal)))
  }

  private keyName(rand: Rand): string {
    const generation = Math.floor(this.recorder.elapsed() / this.keyPeriodMs)
    const key = `reg-${generation}-${randInt(rand, 0, this.keys)}`
    this.usedKeys.add(key)
    return key
  }

  /** One client: a sequence of operations against one node, moving to the next node when it gets no answer. */
  private async client(ctx: WorkloadContext, c: number, signal: AbortSignal): Promise<void> {
    const rand = seededRand((Math.imul(ctx.seed, 0x9e3779b1) + c + 1) >>> 0)
    const known = new Map<string, Known>()
    let slot = c
    let seq = 0
    // Bounded by the signal: each turn takes at most opTimeoutMs plus the think time.
    while (!signal.aborted) {
      const endpoints = ctx.endpoints()
      const base = endpoints[slot % endpoints.length]!
      const key = this.keyName(rand)
      const k = known.get(key)
      const r = rand()
      const name = `c${c}`
      let answered: boolean
      if (k === undefined || r < 0.3) answered = await this.read(base, name, key, known)
      // The API has no create-if-absent (resourceVersion "0" is refused), so an absent key gets a blind write.
      else if (r < 0.5 || k.value === null) answered = await this.write(base, name, key, `${name}-${++seq}`, undefined, known)
      else answered = await this.write(base, name, key, `${name}-${++seq}`, k, known)
      if (!answered) slot++
      await sleep(randInt(rand, this.thinkMs[0], this.thinkMs[1]))
    }
  }

  private url(base: string, key: string): string {
    return `${base}/v1/configmaps/${key}`
  }

  /** Returns whether the node answered. */
  private async read(base: string, client: string, key: string, known: Map<string, Known>): Promise<boolean> {
    const pending = this.recorder.invoke(client, key, { type: 'read' })
    const res = await httpJson('GET', this.url(base, key), undefined, this.opTimeoutMs)
    const out = classifyRead(res)
    pending.complete(out, describeResult(res))
    if (out.type === 'ok') known.set(key, { value: out.value ?? null, rv: res.kind === 'response' && res.status === 200 ? (resourceVersionOf(res.body) ?? '0') : '0' })
    return res.kind === 'response' && res.status < 500
  }

  private async write(base: string, client: string, key: string, value: string, cas: Known | undefined, known: Map<string, Known>): Promise<boolean> {
    const input: RegisterInput = cas ? { type: 'cas', expected: cas.value, value } : { type: 'write', value }
    const pending = this.recorder.invoke(client, key, input)
    const body = { metadata: cas ? { resourceVersion: cas.rv } : {}, data: { value } }
    const res = await httpJson('PUT', this.url(base, key), body, this.opTimeoutMs)
    const out = classifyWrite(res, cas !== undefined)
    pending.complete(out, describeResult(res))
    rememberAfterWrite(known, key, res, out)
    return res.kind === 'response' && !(res.status === 503 || res.status === 504)
  }

  async final(ctx: WorkloadContext): Promise<void> {
    const endpoints = ctx.endpoints()
    for (const key of [...this.usedKeys].sort()) {
      const seen = new Set<RegisterValue>()
      for (let slot = 0; slot < endpoints.length; slot++) {
        const value = await this.finalRead(endpoints[slot]!, `final-n${slot + 1}`, key)
        if (value !== undefined) {
          seen.add(value)
          this.finalValues.set(key, value)
        } else this.finalProblems.push(`${key}: no answer from n${slot + 1}`)
      }
      if (seen.size > 1) this.finalProblems.push(`${key}: the nodes disagree: ${[...seen].map(String).join(', ')}`)
    }
  }

  /** A read retried (bounded) until it succeeds; undefined if it never does. */
  private async finalRead(base: string, client: string, key: string): Promise<RegisterValue | undefined> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const pending = this.recorder.invoke(client, key, { type: 'read' })
      const res = await httpJson('GET', this.url(base, key), undefined, this.opTimeoutMs)
      const out = classifyRead(res)
      pending.complete(out, describeResult(res))
      if (out.type === 'ok') return out.value ?? null
      await sleep(500)
    }
    return undefined
  }

  async check(ctx: WorkloadContext): Promise<WorkloadVerdict> {
    const history = this.recorder.history()
    const started = performance.now()
    const report = checkLinearizability(history, { deadlineMs: this.opts.checkDeadlineMs ?? 60_000 })
    const checkMs = Math.round(performance.now() - started)
    const lost = findLostWrites(history, this.finalValues)
    const violation = report.result === 'violation' || lost.length > 0 || this.finalProblems.some((p) => p.includes('disagree'))
    const result = violation ? 'violation' : report.result === 'unknown' || this.finalProblems.length > 0 ? 'unknown' : 'ok'
    const outcomes = countOutcomes(history)
    const reasons = countReasons(history)
    ctx.log(`checker: ${report.result} in ${checkMs} ms (${history.length} operations, ${report.keys.length} keys)`)
    return {
      name: this.name,
      result,
      summary: { operations: history.length, outcomes, reasons, checker: { result: report.result, ms: checkMs, steps: report.steps, keys: report.keys.length }, lostWrites: lost, finalReadProblems: this.finalProblems },
      text: [
        `operations: ${history.length}`,
        ...Object.entries(outcomes).map(([t, c]) => `  ${t.padEnd(5)} ok ${c.ok}  fail ${c.fail}  conflict ${c.conflict}  unknown ${c.unknown}`),
        `  why not ok: ${Object.entries(reasons).map(([why, n]) => `${why} ${n}`).join(', ') || '-'}`,
        `${formatReport(report)} (checked in ${checkMs} ms)`,
        `lost acknowledged writes: ${lost.length}`,
        ...lost.slice(0, 20).map((l) => `  ${l.key}: ${String(l.value)} (op ${l.id}) missing; final value ${String(l.finalValue)}`),
        ...this.finalProblems.map((p) => `final reads: ${p}`),
      ],
      history: { model: 'cas-register', operations: history, checker: reportToJSON(report) },
    }
  }
}

/** What a client knows of a key after a write: the new value and version, or nothing. */
function rememberAfterWrite(known: Map<string, Known>, key: string, res: HttpResult, out: RegisterOutput): void {
  const rv = res.kind === 'response' ? resourceVersionOf(res.body) : undefined
  if (out.type === 'ok' && res.kind === 'response' && rv !== undefined) known.set(key, { value: valueOf(res.body), rv })
  else known.delete(key)
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
