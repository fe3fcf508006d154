// Coalesced change notification: many status changes in a short window make one call per listener.
import type { Clock, TimerHandle } from './clock.js'

export class ChangeNotifier {
  private readonly listeners = new Set<() => void>()
  private timer: TimerHandle | undefined

  /** windowMs: how long changes gather before listeners hear of them (default 50). */
  constructor (private readonly clock: Clock, private readonly windowMs = 50, private readonly onListenerError: (err: unknown) => void = () => {}) {}

  subscribe (listener: () => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  changed (): void {
    if (this.timer !== undefined) return
    this.timer = this.clock.setTimeout(() => this.fire(), this.windowMs)
  }

  close (): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer)
    this.timer = undefined
    this.listeners.clear()
  }

  private fire (): void {
    this.timer = undefined
    for (const l of [...this.listeners]) {
      try { l() } catch (err) { this.onListenerError(err) }
    }
  }
}
