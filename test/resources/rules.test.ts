import t from 'tap'
import { Checker } from '../../src/resources/issues.js'
import { bool, stringMap, withDefault } from '../../src/resources/rules.js'

t.test('withDefault: an absent value takes the default; an object default is a fresh copy every time', async (t) => {
  const c = new Checker('doc.yaml#1')
  const flag = withDefault(bool(), false)
  t.equal(flag(undefined, 'immutable', c), false)
  t.equal(flag(true, 'immutable', c), true)
  const labels = withDefault(stringMap(() => undefined), { app: 'web' })
  const first = labels(undefined, 'labels', c)!
  first.app = 'edited'
  t.same(labels(null, 'labels', c), { app: 'web' }, 'the edit did not reach the default')
  t.same(c.issues, [])
})
