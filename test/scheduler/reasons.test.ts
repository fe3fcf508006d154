import t from 'tap'
import { emptyCounts, FilterReason, formatUnschedulable, REASON_TEXT, REASONS } from '../../src/scheduler/reasons.js'

t.test('every reason is a named constant with its own text', async (t) => {
  t.same(REASONS, Object.keys(FilterReason))
  for (const r of REASONS) t.equal(FilterReason[r], r, `constant ${r} is its own name`)
  const texts = REASONS.map((r) => REASON_TEXT[r])
  t.equal(new Set(texts).size, texts.length, 'texts are unique')
  for (const text of texts) t.ok(text.length > 0)
})

t.test('the summary reads like Kubernetes, counts by count desc then text', async (t) => {
  const counts = emptyCounts()
  counts.InsufficientMemory = 2
  counts.NodeCordoned = 1
  t.equal(formatUnschedulable(3, counts), '0/3 nodes available: 2 insufficient memory, 1 node(s) were cordoned')
  counts.InsufficientCpu = 2
  t.equal(
    formatUnschedulable(5, counts),
    '0/5 nodes available: 2 insufficient cpu, 2 insufficient memory, 1 node(s) were cordoned',
    'equal counts sorted by text',
  )
})

t.test('no nodes at all', async (t) => {
  t.equal(formatUnschedulable(0, emptyCounts()), '0/0 nodes available: no nodes in the cluster')
})
