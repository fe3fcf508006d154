// AGE as kubectl prints it (apimachinery's duration.HumanDuration).
import t from 'tap'
import { age, humanDuration } from '../../src/agent/cli-age.js'

const S = 1000
const M = 60 * S
const H = 60 * M
const D = 24 * H
const Y = 365 * D

t.test('humanDuration follows kubectl at every boundary', async (t) => {
  const cases: [number, string][] = [
    [-5 * S, '<invalid>'],
    [-500, '0s'],
    [0, '0s'],
    [5 * S, '5s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [2 * M + 30 * S, '2m30s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M + 30 * S, '10m'],
    [3 * H - 1, '179m'],
    [3 * H, '3h'],
    [5 * H + 12 * M, '5h12m'],
    [8 * H + 30 * M, '8h'],
    [47 * H, '47h'],
    [2 * D, '2d'],
    [4 * D + 3 * H, '4d3h'],
    [8 * D + 5 * H, '8d'],
    [400 * D, '400d'],
    [2 * Y, '2y'],
    [2 * Y + 10 * D, '2y10d'],
    [9 * Y + 100 * D, '9y'],
  ]
  for (const [ms, want] of cases) t.equal(humanDuration(ms), want, `${ms} ms`)
})

t.test('age of a timestamp, and of none', async (t) => {
  const now = Date.parse('2026-03-01T12:00:00Z')
  t.equal(age('2026-03-01T11:57:00Z', now), '3m')
  t.equal(age(undefined, now), '<unknown>')
  t.equal(age('not a date', now), '<unknown>')
})
