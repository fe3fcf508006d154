// The agent entry point the chaos runner spawns: the agent compiled beside the runner, so a run
// always exercises the code it was built with (bin/agent.js runs dist/).
import { main } from '../agent/cli.js'

main(process.argv).catch((err: unknown) => {
  process.stderr.write(`agent: ${(err as Error)?.message ?? String(err)}\n`)
  process.exit(1)
})
