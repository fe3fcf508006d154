#!/usr/bin/env -S node --max-semi-space-size=1 --v8-pool-size=1
// The `agent` command runs the built code; `npm run build` makes dist/.
// The V8 flags keep an idle agent small: a 1 MB young generation and one V8 helper thread are plenty
// for an agent whose work is small messages (about 20 MB less resident memory than the defaults).
import { main } from '../dist/src/agent/cli.js'

main(process.argv).catch((err) => {
  process.stderr.write(`agent: ${err?.message ?? err}\n`)
  process.exit(1)
})
