// Label selectors: the query-string syntax and LabelSelector objects, with Kubernetes semantics.
import t from 'tap'
import { EVERYTHING, fromLabelSelector, fromMap, parseSelector } from '../../src/resources/index.js'

const WEB = { app: 'web', tier: 'frontend', env: 'prod' }
const DB = { app: 'db', env: 'dev', legacy: 'true' }
const NONE = {}

t.test('each operator of the query syntax', async (t) => {
  const cases: [string, boolean, boolean, boolean][] = [
    // selector, matches WEB, matches DB, matches NONE
    ['app=web', true, false, false],
    ['app==web', true, false, false],
    ['app!=web', false, true, true], // != matches objects without the label
    ['env in (prod,staging)', true, false, false],
    ['env notin (prod)', false, true, true],
    ['legacy', false, true, false],
    ['!legacy', true, false, true],
    ['app=web,env=prod', true, false, false],
    ['app=web,env=dev', false, false, false],
    ['', true, true, true],
    ['  app = web , tier  ', true, false, false],
    ['tier=', false, false, false], // empty value: the label must exist and be ""
  ]
  for (const [text, web, db, none] of cases) {
    const s = parseSelector(text)
    t.equal(s.matches(WEB), web, `${JSON.stringify(text)} on WEB`)
    t.equal(s.matches(DB), db, `${JSON.stringify(text)} on DB`)
    t.equal(s.matches(NONE), none, `${JSON.stringify(text)} on no labels`)
  }
  t.ok(parseSelector('tier=').matches({ tier: '' }))
})

t.test('toString is canonical: sorted by key, values sorted, == written =', async (t) => {
  t.equal(parseSelector('z=1,a in (y, x),!b,c').toString(), 'a in (x,y),!b,c,z=1')
  t.equal(parseSelector('app==web').toString(), 'app=web')
  t.equal(parseSelector('a notin (2,1,1)').toString(), 'a notin (1,2)')
  t.equal(parseSelector('').toString(), '')
  t.ok(parseSelector('').empty)
  const again = parseSelector(parseSelector('x!=1,k8s.io/app in (b,a)').toString())
  t.equal(again.toString(), 'k8s.io/app in (a,b),x!=1', 'parses its own output')
})

t.test('bad syntax is a SelectorError that says where', async (t) => {
  const bad: [string, RegExp][] = [
    ['app=web,', /expected a label key at the end/],
    ['a in x', /expected "\(" after in\/notin at position 6/],
    ['a in (x', /expected "," or "\)" at the end/],
    ['a in ()', /expected a value at position 7/],
    ['a b', /expected "=", "==", "!=", "in" or "notin" at position 3/],
    ['=b', /expected a label key at position 1/],
    ['a=b=c', /expected "," between requirements at position 4/],
    ['!', /expected a label key at the end/],
    ['a>1', /expected "=", "==", "!=", "in" or "notin"|label key/],
    ['Bad Key!=x', /./],
    ['a=-bad-', /invalid label value "-bad-"/],
    ['-a=b', /invalid label key "-a"/],
  ]
  for (const [text, msg] of bad) t.throws(() => parseSelector(text), { name: 'SelectorError', message: msg }, JSON.stringify(text))
})

t.test('LabelSelector objects: matchLabels and matchExpressions', async (t) => {
  const s = fromLabelSelector({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'env', operator: 'In', values: ['prod', 'staging'] },
      { key: 'legacy', operator: 'DoesNotExist' },
      { key: 'tier', operator: 'Exists' },
      { key: 'zone', operator: 'NotIn', values: ['b'] },
    ],
  })
  t.ok(s.matches(WEB))
  t.notOk(s.matches({ ...WEB, legacy: 'x' }))
  t.notOk(s.matches({ ...WEB, zone: 'b' }))
  t.ok(s.matches({ ...WEB, zone: 'a' }))
  t.equal(s.toString(), 'app=web,env in (prod,staging),!legacy,tier,zone notin (b)')
  t.ok(fromLabelSelector({}).matches(DB), '{} matches everything')
  t.ok(EVERYTHING.matches(undefined))
  t.ok(fromMap({ app: 'db', env: 'dev' }).matches(DB))
  t.notOk(fromMap({ app: 'db', env: 'dev' }).matches(WEB))
})

t.test('malformed LabelSelector objects are SelectorErrors', async (t) => {
  t.throws(() => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), { name: 'SelectorError' })
  t.throws(() => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), { name: 'SelectorError' })
  t.throws(() => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt' as 'In', values: ['1'] }] }), { name: 'SelectorError' })
  t.throws(() => fromLabelSelector({ matchLabels: { 'a/b/c': 'x' } }), { name: 'SelectorError' })
})
