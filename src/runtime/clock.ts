// Time for the runtime's supervisors, injected so tests drive it with a fake clock.

export type TimerHandle = unknown

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  setTimeout(fn: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const h = setTimeout(fn, ms)
    // Supervisor timers never keep the process alive on their own.
    h.unref()
    return h
  },
  clearTimeout: h => clearTimeout(h as NodeJS.Timeout),
}

export function iso(ms: number): string {
  return new Date(ms).toISOString()
}
