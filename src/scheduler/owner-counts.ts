// Replicas of each owner per node, readable as a dense array for one owner at a time.
// Ranking a pod reads its owner's count on hundreds of nodes; a Map lookup per node dominated the
// profile, so the counts of the owner being ranked are copied into a dense array, which is kept up
// to date by add() and rebuilt only when the next pod has another owner (cost: the nodes that
// run a replica of the old and of the new owner).

export class OwnerCounts {
  /** owner -> node index -> replicas. */
  private readonly byOwner = new Map<string, Map<number, number>>()
  private readonly dense: Int32Array
  private current: string | undefined

  constructor(nodeCount: number) {
    this.dense = new Int32Array(nodeCount)
  }

  add(owner: string, node: number): void {
    let sparse = this.byOwner.get(owner)
    if (sparse === undefined) {
      sparse = new Map()
      this.byOwner.set(owner, sparse)
    }
    sparse.set(node, (sparse.get(node) ?? 0) + 1)
    if (owner === this.current) this.dense[node]++
  }

  /** Replicas of `owner` per node index. Valid until view() is called for another owner. */
  view(owner: string): Int32Array {
    if (owner === this.current) return this.dense
    if (this.current !== undefined) for (const node of this.byOwner.get(this.current)?.keys() ?? []) this.dense[node] = 0
    for (const [node, n] of this.byOwner.get(owner) ?? []) this.dense[node] = n
    this.current = owner
    return this.dense
  }
}
