import t from 'tap'
import { cutLinks, describeCuts, isolate, linkOpen } from '../../src/chaos/partitions.js'
import type { Cut } from '../../src/chaos/faults.js'

/** Which nodes can each node send to, as a sorted adjacency string: "0:12 1:02 …". */
function reach(cuts: readonly Cut[], n: number): string {
  const out: string[] = []
  for (let a = 0; a < n; a++) {
    let s = `${a}:`
    for (let b = 0; b < n; b++) if (a !== b && linkOpen(cuts, a, b)) s += b
    out.push(s)
  }
  return out.join(' ')
}

const order = [2, 0, 4, 1, 3]

t.test('halves: a minority and a majority, cut both ways', async (t) => {
  t.equal(reach(cutLinks('halves', order), 5), '0:2 1:34 2:0 3:14 4:13')
})

t.test('bridge: the first of the order talks to both sides, which cannot talk to each other', async (t) => {
  t.equal(reach(cutLinks('bridge', order), 5), '0:24 1:23 2:0134 3:12 4:02')
  t.equal(reach(cutLinks('bridge', [1, 0, 2]), 3), '0:1 1:02 2:1')
})

t.test('ring: only neighbours in the order', async (t) => {
  // ring 2-0-4-1-3-2
  t.equal(reach(cutLinks('ring', order), 5), '0:24 1:34 2:03 3:12 4:01')
})

t.test('leader: the given leader is cut off both ways; without one, the first of the order', async (t) => {
  t.equal(reach(cutLinks('leader', order, 4), 5), '0:123 1:023 2:013 3:012 4:')
  t.equal(reach(cutLinks('leader', order), 5), '0:134 1:034 2: 3:014 4:013')
})

t.test('oneway: the first node cannot send, but still hears everyone', async (t) => {
  const cuts = cutLinks('oneway', order)
  t.equal(reach(cuts, 5), '0:1234 1:0234 2: 3:0124 4:0123')
  t.ok(linkOpen(cuts, 0, 2), 'others still reach it')
})

t.test('isolate and describe', async (t) => {
  t.same(isolate([0], [1]), [{ from: 0, to: 1 }, { from: 1, to: 0 }])
  t.equal(describeCuts(isolate([0], [1])), 'n1->n2 n2->n1')
})
