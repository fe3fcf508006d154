// The agent entry point that fleets of this build spawn (tests, benchmarks, chaos runs, the demo): the
// agent compiled beside its caller, so a run always exercises the code it was built with (bin/agent.js,
// the user's command, runs dist/).
import { main } from './cli.js'

main(process.argv).catch((err: unknown) => {
  process.stderr.write(`agent: ${(err as Error)?.message ?? String(err)}\n`)
  process.exit(1)
})
