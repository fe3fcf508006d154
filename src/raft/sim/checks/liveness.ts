/**
 * After the faults heal (network whole, every node up), a leader must be elected within `leaderTicks`
 * and a proposal made after the heal must commit within `commitTicks`.
 */
export class Liveness {
  #healedAt: number | undefined
  #leaderAt: number | undefined
  #commitAt: number | undefined

  constructor(
    readonly leaderTicks: number,
    readonly commitTicks: number,
  ) {}

  get healedAt(): number | undefined {
    return this.#healedAt
  }

  get satisfied(): boolean {
    return this.#commitAt !== undefined
  }

  /** Ticks from the heal to the first leader and to the first commit, once seen. */
  get latency(): { leader: number | undefined; commit: number | undefined } {
    const since = (t: number | undefined): number | undefined => (t === undefined || this.#healedAt === undefined ? undefined : t - this.#healedAt)
    return { leader: since(this.#leaderAt), commit: since(this.#commitAt) }
  }

  healed(tick: number): void {
    this.#healedAt = tick
  }

  leaderSeen(tick: number): void {
    if (this.#healedAt !== undefined && this.#leaderAt === undefined) this.#leaderAt = tick
  }

  committed(tick: number): void {
    if (this.#healedAt !== undefined && this.#commitAt === undefined) this.#commitAt = tick
  }

  check(tick: number): string | undefined {
    if (this.#healedAt === undefined) return undefined
    const since = tick - this.#healedAt
    if (this.#leaderAt === undefined && since > this.leaderTicks) {
      return `no leader elected within ${this.leaderTicks} ticks after the faults healed`
    }
    if (this.#commitAt === undefined && since > this.commitTicks) {
      return `no proposal committed within ${this.commitTicks} ticks after the faults healed`
    }
    return undefined
  }
}
