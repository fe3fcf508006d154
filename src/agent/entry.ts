// How to spawn the agent of this build: node with bin/agent.js's V8 flags, running the bundle that
// `npm run build` makes (dist/agent.js, from ./main.js; see scripts/bundle-agent.ts).
import { fileURLToPath } from 'node:url'

/** A 4 MB cap on the young generation and one V8 helper thread, as bin/agent.js runs it (why: there). */
export const AGENT_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--v8-pool-size=1']

const MAIN = fileURLToPath(new URL('../../agent.js', import.meta.url))

/** argv for `spawn(process.execPath, agentArgv(args))`. */
export function agentArgv(args: readonly string[]): string[] {
  return [...AGENT_NODE_FLAGS, MAIN, ...args]
}
