// `agent rollout`: placeholder until rollout revisions land (issue #7).
import { UsageError } from './errors.js'

const notYet = async (): Promise<void> => {
  throw new UsageError('agent rollout is not available yet in this build')
}
export const rolloutStatusCommand = (_k: string, _n: string | undefined, _f: Record<string, unknown>) => notYet()
export const rolloutHistoryCommand = (_k: string, _n: string | undefined, _f: Record<string, unknown>) => notYet()
export const rolloutUndoCommand = (_k: string, _n: string | undefined, _f: Record<string, unknown>) => notYet()
export const rolloutPauseCommand = (_k: string, _n: string | undefined, _f: Record<string, unknown>, _paused: boolean) => notYet()
