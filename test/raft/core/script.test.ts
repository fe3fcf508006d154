// Runs the interaction scripts in testdata/ and compares each block's output with the checked-in one.
// After an intended behaviour change: CORE_REWRITE=1 rewrites the expectations (review the diff!).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ScriptRunner, formatScript, parseScript } from './script.js'

const DIR = join(process.cwd(), 'test/raft/core/testdata')
const rewrite = process.env['CORE_REWRITE'] === '1'

for (const file of readdirSync(DIR).filter((f) => f.endsWith('.txt'))) {
  t.test(file, async (t) => {
    const blocks = parseScript(readFileSync(join(DIR, file), 'utf8'))
    t.ok(blocks.length > 0, 'the script has blocks')
    const runner = new ScriptRunner()
    const actual = blocks.map((b) => {
      const out = runner.run(b.command)
      return { comments: b.comments, command: b.command, expected: out === '' ? 'ok' : out }
    })
    if (rewrite) {
      writeFileSync(join(DIR, file), formatScript(actual))
      return
    }
    for (let i = 0; i < blocks.length; i++) t.equal(actual[i].expected, blocks[i].expected, `${file}: ${blocks[i].command}`)
  })
}
