// The agent's entry point: scripts/bundle-agent.ts bundles it into dist/agent.js, which bin/agent.js (the
// user's command) and the fleets of this build (tests, benchmarks, chaos runs, the demo) run, so a run
// always exercises the code it was built with.
import { main } from './cli.js'

main(process.argv).catch((err: unknown) => {
  process.stderr.write(`agent: ${(err as Error)?.message ?? String(err)}\n`)
  process.exit(1)
})
