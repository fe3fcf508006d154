import type { MemoryStorageApi, RaftConfig, RaftNodeApi } from '../api.js'
import { MemoryStorage } from '../memory-storage.js'
import { RawNode } from '../raw-node.js'
import type { ConfState } from '../types.js'

/** The Raft core under test. The simulator only speaks api.ts, so a test can hand it another implementation. */
export interface Core {
  newNode(cfg: RaftConfig): RaftNodeApi
  newStorage(conf?: ConfState): MemoryStorageApi
}

export const podmeshCore: Core = {
  newNode: (cfg) => new RawNode(cfg),
  newStorage: (conf) => new MemoryStorage(conf),
}
