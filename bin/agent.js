#!/usr/bin/env node
// The `agent` command runs the built code; `npm run build` makes dist/.
import { main } from '../dist/src/agent/cli.js'

main(process.argv).catch((err) => {
  process.stderr.write(`agent: ${err?.message ?? err}\n`)
  process.exit(1)
})
