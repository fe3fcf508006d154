// Creating a cluster: the first node's storage holds one committed entry that makes it the only voter.
// Every other node joins with empty storage and receives the log (or a snapshot) from the leader.
import type { MemoryStorageApi } from './api.js'
import { encodeConfChange } from './codec.js'
import { RaftConfigError } from './errors.js'
import { NONE, type NodeId } from './types.js'

export function bootstrapFirstNode(storage: MemoryStorageApi, id: NodeId): void {
  if (storage.lastIndex() !== 0 || storage.initialState().hardState.term !== 0) {
    throw new RaftConfigError('bootstrap needs empty storage')
  }
  if (id === NONE) throw new RaftConfigError('bootstrap needs a node id')
  storage.append([{ index: 1, term: 1, type: 'conf', data: encodeConfChange({ type: 'addVoter', node: id }) }])
  storage.setHardState({ term: 1, vote: NONE, commit: 1 })
}
