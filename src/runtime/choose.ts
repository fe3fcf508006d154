// `--runtime docker|process`: without the flag, docker when the Docker socket answers, else process.
import { dockerAvailable } from './docker/index.js'

export type RuntimeName = 'docker' | 'process'

export async function chooseRuntime (requested?: RuntimeName, ping: () => Promise<boolean> = () => dockerAvailable()): Promise<RuntimeName> {
  if (requested !== undefined) return requested
  return (await ping()) ? 'docker' : 'process'
}
