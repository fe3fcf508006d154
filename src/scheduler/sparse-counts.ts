// Counts per small integer id (a node or a domain), reused from pod to pod: set() remembers which
// ids it touched so that clear() costs what was written, not the size of the cluster.

export class SparseCounts {
  private readonly values: Float64Array
  private readonly touched: number[] = []

  constructor(size: number) {
    this.values = new Float64Array(size)
  }

  add(id: number, n: number): void {
    if (this.values[id] === 0) this.touched.push(id)
    this.values[id] += n
  }

  set(id: number, n: number): void {
    if (this.values[id] === 0) this.touched.push(id)
    this.values[id] = n
  }

  get(id: number): number {
    return this.values[id]!
  }

  /** Ids with a count, in the order first touched. */
  ids(): readonly number[] {
    return this.touched
  }

  clear(): void {
    for (const id of this.touched) this.values[id] = 0
    this.touched.length = 0
  }
}

/** A free list of SparseCounts of one size. */
export class SparseCountsPool {
  private readonly free: SparseCounts[] = []

  constructor(private readonly size: number) {}

  take(): SparseCounts {
    return this.free.pop() ?? new SparseCounts(this.size)
  }

  give(c: SparseCounts): void {
    c.clear()
    this.free.push(c)
  }
}
