import type { MemoryStorageApi, RaftConfig, RaftNodeApi } from '../api.js'
import { bootstrapFirstNode } from '../bootstrap.js'
import { MemoryStorage } from '../memory-storage.js'
import { RawNode } from '../raw-node.js'
import type { ConfState, NodeId } from '../types.js'

/** The Raft core under test. The simulator only speaks api.ts, so a test can hand it another implementation. */
export interface Core {
  newNode(cfg: RaftConfig): RaftNodeApi
  newStorage(conf?: ConfState): MemoryStorageApi
  /** Writes the first node's initial state (it alone is a voter) into empty storage. */
  bootstrap(storage: MemoryStorageApi, id: NodeId): void
}

export const podmeshCore: Core = {
  newNode: (cfg) => new RawNode(cfg),
  newStorage: (conf) => new MemoryStorage(conf),
  bootstrap: bootstrapFirstNode,
}
