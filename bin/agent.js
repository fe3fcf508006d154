#!/usr/bin/env -S node --max-semi-space-size=8 --v8-pool-size=1
// The `agent` command runs the built code; `npm run build` makes dist/.
// The V8 flags (the same in src/agent/entry.ts): one V8 helper thread keeps an idle agent small, and the
// young generation may grow to 8 MB semi-spaces under load. V8 starts it at 1 MB and grows it only when
// many objects survive, so an idle agent is no bigger than with a 1 MB cap (82-88 MB either way, 3 agents,
// --runtime none, 30 s idle). Under 64 concurrent API writers a 1 MB cap cost the leader a scavenge every
// ~17 writes (GC ~25% of its CPU) and promoted in-flight requests to the old generation (178 MB RSS after
// 4 s of load, vs 136 MB with 8 MB); 8 MB scavenges every ~140 writes, about half the GC time per write.
import { main } from '../dist/src/agent/cli.js'

main(process.argv).catch((err) => {
  process.stderr.write(`agent: ${err?.message ?? err}\n`)
  process.exit(1)
})
