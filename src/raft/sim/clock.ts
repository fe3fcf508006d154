/** Simulated time. A step is the unit of message delay; nodes tick every `stepsPerTick` steps. */
export class Clock {
  step = 0

  constructor(readonly stepsPerTick: number) {}

  get tick(): number {
    return Math.floor(this.step / this.stepsPerTick)
  }

  get onTick(): boolean {
    return this.step % this.stepsPerTick === 0
  }
}
