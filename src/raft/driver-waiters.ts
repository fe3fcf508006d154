// Callers waiting on the Ready loop: proposals wait for their entry to be applied, reads for applied >= read index.
import { AbortedError, ProposalDroppedError, ProposalOutcomeUnknownError, ProposalTimeoutError } from './driver-errors.js'
import type { Entry, NodeId, ReadState } from './types.js'

export interface Committed {
  readonly index: number
  readonly term: number
}

interface Pending<T> {
  resolve(value: T): void
  reject(err: Error): void
  /** Removes the abort listener, if any. */
  done(): void
}

function pending<T>(signal: AbortSignal | undefined, onAbort: () => void): { promise: Promise<T>; p: Pending<T> } {
  let resolve!: (v: T) => void
  let reject!: (e: Error) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  if (!signal) return { promise, p: { resolve, reject, done: () => undefined } }
  const abort = (): void => {
    onAbort()
    reject(new AbortedError(signal.reason))
  }
  signal.addEventListener('abort', abort, { once: true })
  return { promise, p: { resolve, reject, done: () => signal.removeEventListener('abort', abort) } }
}

interface ProposalWaiter extends Pending<Committed> {
  readonly term: number
  /** Time (the driver clock's) after which it fails with ProposalTimeoutError; Infinity for none. */
  readonly deadline: number
}

export class ProposalWaiters {
  private readonly byIndex = new Map<number, ProposalWaiter>()
  /** Waiters with a finite deadline, so that expire() has nothing to do when none has one. */
  private timed = 0

  get size(): number {
    return this.byIndex.size
  }

  /** Waits for entry (index, term). Only a leader of a higher term reuses an index, so an older waiter there is lost. */
  add(index: number, term: number, signal?: AbortSignal, deadline = Infinity): Promise<Committed> {
    if (signal?.aborted) return Promise.reject(new AbortedError(signal.reason))
    const old = this.byIndex.get(index)
    if (old) this.settle(index, old, new ProposalDroppedError(index, old.term))
    const { promise, p } = pending<Committed>(signal, () => this.remove(index))
    this.byIndex.set(index, { ...p, term, deadline })
    if (deadline !== Infinity) this.timed++
    return promise
  }

  /**
   * Fails the waiters whose deadline has passed. A deadline checked on the driver's tick replaces a timer
   * (AbortSignal.timeout) per proposal, whose creation and listener cost showed in the leader's profile.
   */
  expire(now: number): void {
    if (this.timed === 0) return
    for (const [i, w] of this.byIndex) if (w.deadline <= now) this.settle(i, w, new ProposalTimeoutError(i))
  }

  /** Entries just applied, in index order. */
  applied(entries: readonly Entry[]): void {
    if (this.byIndex.size === 0) return
    for (const e of entries) {
      const w = this.byIndex.get(e.index)
      if (w) this.settle(e.index, w, w.term === e.term ? { index: e.index, term: e.term } : new ProposalDroppedError(e.index, w.term))
    }
  }

  /** A snapshot replaced the state machine up to (index, term): earlier waiters cannot tell whether they made it. */
  snapshotApplied(index: number, term: number): void {
    for (const [i, w] of this.byIndex) {
      if (i > index) continue
      this.settle(i, w, i === index && w.term === term ? { index, term } : new ProposalOutcomeUnknownError(i))
    }
  }

  rejectAll(err: Error): void {
    for (const [i, w] of this.byIndex) this.settle(i, w, err)
  }

  private remove(index: number): void {
    const w = this.byIndex.get(index)
    if (w === undefined) return
    this.byIndex.delete(index)
    if (w.deadline !== Infinity) this.timed--
  }

  private settle(index: number, w: ProposalWaiter, outcome: Committed | Error): void {
    this.remove(index)
    w.done()
    if (outcome instanceof Error) w.reject(outcome)
    else w.resolve(outcome)
  }
}

interface ReadWaiter extends Pending<number> {
  index: number
}

/** Read contexts are the node id and a counter, so requests forwarded to the leader by different nodes never collide. */
export class ReadWaiters {
  private counter = 0
  private readonly unconfirmed = new Map<string, ReadWaiter>()
  private readonly confirmed = new Set<ReadWaiter>()

  constructor(private readonly id: NodeId) {}

  add(signal?: AbortSignal): { context: Uint8Array; promise: Promise<number> } {
    const key = `${this.id}/${++this.counter}`
    const context = Buffer.from(key, 'utf8')
    if (signal?.aborted) return { context, promise: Promise.reject(new AbortedError(signal.reason)) }
    const { promise, p } = pending<number>(signal, () => {
      this.unconfirmed.delete(key)
      this.confirmed.delete(w)
    })
    const w: ReadWaiter = { ...p, index: 0 }
    this.unconfirmed.set(key, w)
    return { context, promise }
  }

  /** Forgets a request the core refused at once. */
  cancel(context: Uint8Array): void {
    const key = Buffer.from(context).toString('utf8')
    this.unconfirmed.get(key)?.done()
    this.unconfirmed.delete(key)
  }

  confirm(states: readonly ReadState[], applied: number): void {
    for (const s of states) {
      const key = Buffer.from(s.context).toString('utf8')
      const w = this.unconfirmed.get(key)
      if (!w) continue
      this.unconfirmed.delete(key)
      w.index = s.index
      this.confirmed.add(w)
    }
    this.applied(applied)
  }

  applied(applied: number): void {
    if (this.confirmed.size === 0) return
    for (const w of this.confirmed) {
      if (w.index > applied) continue
      this.confirmed.delete(w)
      w.done()
      w.resolve(w.index)
    }
  }

  /** Requests not yet confirmed by a leader are lost when leadership changes. */
  rejectUnconfirmed(err: Error): void {
    for (const w of this.unconfirmed.values()) {
      w.done()
      w.reject(err)
    }
    this.unconfirmed.clear()
  }

  rejectAll(err: Error): void {
    this.rejectUnconfirmed(err)
    for (const w of this.confirmed) {
      w.done()
      w.reject(err)
    }
    this.confirmed.clear()
  }
}
