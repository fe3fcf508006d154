// The strict JSON reader agrees with JSON.parse on valid JSON, and locates every error.
import fc from 'fast-check'
import t from 'tap'
import { JsonSyntaxError, parseJsonStrict } from '../../src/resources/json.js'

t.test('agrees with JSON.parse on any JSON value (property)', async (t) => {
  const seed = Number(process.env.SEED ?? 424242)
  t.comment(`seed ${seed} (SEED=${seed} replays it)`)
  fc.assert(
    fc.property(fc.json(), (text) => t.strictSame(parseJsonStrict(text), JSON.parse(text)) !== false),
    { seed, numRuns: 300 },
  )
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const text = JSON.stringify(v, null, 2)
      return JSON.stringify(parseJsonStrict(text)) === JSON.stringify(JSON.parse(text))
    }),
    { seed, numRuns: 300 },
  )
})

t.test('rejects what JSON.parse rejects, saying where', async (t) => {
  const bad: [string, string][] = [
    ['', 'unexpected end of JSON at line 1, column 1'],
    ['{"a": 1,}', 'expected a string key at line 1, column 9'],
    ['[1, 2', 'expected "," or "]" at line 1, column 6'],
    ['{"a" 1}', 'expected ":" at line 1, column 6'],
    ['{"a": 01}', 'expected "," or "}" at line 1, column 8'],
    ['{"a": tru}', 'unexpected "t" at line 1, column 7'],
    ['{"a": "x\ny"}', 'malformed string at line 1, column 7'],
    ['{}\n{}', 'unexpected text after the JSON value at line 2, column 1'],
    ['{\n  "a": 1,\n  "a": 2\n}', 'duplicate key "a" at line 3, column 3'],
    ["{'a': 1}", 'expected a string key at line 1, column 2'],
  ]
  for (const [text, msg] of bad) {
    t.throws(() => parseJsonStrict(text), { name: 'JsonSyntaxError', message: msg }, JSON.stringify(text))
    if (!msg.startsWith('duplicate')) t.throws(() => JSON.parse(text), SyntaxError, `JSON.parse rejects ${JSON.stringify(text)} too`)
  }
  t.ok(new JsonSyntaxError('x', 1, 1) instanceof Error)
})

t.test('a "__proto__" key is plain data, as with JSON.parse', async (t) => {
  const v = parseJsonStrict('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>
  t.ok(Object.hasOwn(v, '__proto__'))
  t.equal(Object.getPrototypeOf(v), Object.prototype)
  t.same(Object.keys(v), ['__proto__', 'a'])
})
