// `agent logs`: placeholder until the logs relay lands (issue #6).
import { UsageError } from './errors.js'

export async function logsCommand(_pod: string, _flags: Record<string, unknown>): Promise<void> {
  throw new UsageError('agent logs is not available yet in this build')
}
