// The scripts' strict flags (scripts/lib/script-flags.ts), each case a real process: declared flags are
// parsed and checked, --help prints every flag and exits 0, a mistake is named with the usage and exits 2
// before the script does anything.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const flagsModule = new URL('../../scripts/lib/script-flags.js', import.meta.url).href
const dir = mkdtempSync(join(tmpdir(), 'podmesh-flags-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const probe = join(dir, 'probe.mjs')
writeFileSync(probe, `import { scriptFlags } from ${JSON.stringify(flagsModule)}
const flags = scriptFlags('bench:probe', 'A probe.', {
  runs: { type: 'count', default: 3, help: 'runs' },
  warmup: { type: 'number', default: 3, min: 0, help: 'warm-up' },
  pct: { type: 'count', min: 1, help: 'percent' },
  seconds: { type: 'number', help: 'seconds' },
  sizes: { type: 'numbers', default: [1, 64], help: 'sizes' },
  only: { type: 'list', choices: ['a', 'b', 'c'], help: 'parts' },
  skip: { type: 'list', choices: ['x', 'y'], default: [], help: 'left out' },
  runtime: { type: 'choice', choices: ['docker', 'process'], help: 'runtime' },
  json: { type: 'switch', help: 'json' },
})
console.log(JSON.stringify(flags))
`)

function run(script: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 30_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

t.test('defaults, and values parsed and checked', async (t) => {
  const plain = run(probe)
  t.equal(plain.code, 0, plain.stderr)
  t.same(JSON.parse(plain.stdout), { runs: 3, warmup: 3, sizes: [1, 64], only: ['a', 'b', 'c'], skip: [], json: false })
  const r = run(probe, '--runs', '5', '--warmup', '0', '--pct', '50', '--seconds', '0.5', '--sizes', '2,8', '--only', 'c,a', '--skip', 'y', '--runtime', 'process', '--json')
  t.same(JSON.parse(r.stdout), { runs: 5, warmup: 0, pct: 50, seconds: 0.5, sizes: [2, 8], only: ['c', 'a'], skip: ['y'], runtime: 'process', json: true })
})

t.test('a mistake is named, with the usage, and exits 2 before the script runs', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--bogus'], /^bench:probe: Unknown option '--bogus'/],
    [['extra'], /^bench:probe: Unexpected argument 'extra'/],
    [['--runs'], /^bench:probe: Option '--runs <value>' argument missing/],
    [['--runs', '0'], /^bench:probe: --runs 0: needs a whole number of at least 1/],
    [['--runs', '2.5'], /^bench:probe: --runs 2.5: needs a whole number of at least 1/],
    [['--seconds', '0'], /^bench:probe: --seconds 0: needs a number above 0/],
    [['--warmup=-1'], /^bench:probe: --warmup -1: needs a number of at least 0/],
    [['--pct', 'x'], /^bench:probe: --pct x: needs a whole number of at least 1/],
    [['--sizes', '1,,2'], /^bench:probe: --sizes 1,,2: use a comma-separated list of whole numbers above 0/],
    [['--only', 'a,d'], /^bench:probe: --only a,d: use a comma-separated list of a, b, c/],
    [['--runtime', 'vm'], /^bench:probe: --runtime vm: use one of docker, process/],
  ]
  for (const [args, message] of cases) {
    const r = run(probe, ...args)
    t.equal(r.code, 2, args.join(' '))
    t.match(r.stderr, message)
    t.match(r.stderr, /usage: npm run bench:probe -- \[flags\]/)
    t.equal(r.stdout, '', 'the script did not run')
  }
})

t.test('--help lists every flag with its default and exits 0', async (t) => {
  const r = run(probe, '--help')
  t.equal(r.code, 0)
  t.match(r.stdout, /^usage: npm run bench:probe -- \[flags\]\nA probe\.\n/)
  for (const line of [/--runs N +runs \(default 3\)/, /--sizes N,N +sizes \(default 1,64\)/, /--only a,b,c +parts \(default: all\)/, /--skip x,y +left out \(default: none\)/, /--runtime docker\|process +runtime$/m, /--json +json/, /--help +this text/]) t.match(r.stdout, line)
})

t.test("a real benchmark's --help answers without starting anything", async (t) => {
  const r = run(fileURLToPath(new URL('../../scripts/bench-api.js', import.meta.url)), '--help')
  t.equal(r.code, 0)
  for (const flag of ['--runs', '--seconds', '--warmup', '--only', '--etcd', '--json']) t.match(r.stdout, flag)
})
