// Kubernetes quantities: the grammar of resource.Quantity, exact values, rounding up to whole units.
import fc from 'fast-check'
import t from 'tap'
import { formatCpu, formatMemory, parseCpu, parseMemory, QuantityError } from '../../src/resources/index.js'

const CPU: readonly [string | number, number][] = [
  ['250m', 250],
  ['0.5', 500],
  ['.5', 500],
  ['2', 2000],
  ['2.', 2000],
  ['+1', 1000],
  ['1.5', 1500],
  ['100m', 100],
  ['0', 0],
  ['0.0001', 1], // rounds up to 1m, as Quantity.MilliValue() does
  ['1e3', 1_000_000],
  ['1E3', 1_000_000],
  ['1e-3', 1],
  ['5e-1', 500],
  ['1k', 1_000_000],
  [2, 2000],
  [0.5, 500],
  [0.25, 250],
]

const MEMORY: readonly [string | number, number][] = [
  ['64Mi', 67_108_864],
  ['1G', 1_000_000_000],
  ['512k', 512_000],
  ['1e6', 1_000_000],
  ['1E6', 1_000_000],
  ['1Ki', 1024],
  ['1.5Gi', 1_610_612_736],
  ['128974848', 128_974_848],
  ['129e6', 129_000_000],
  ['129M', 129_000_000],
  ['123Mi', 128_974_848],
  ['1T', 1e12],
  ['1Ti', 2 ** 40],
  ['1P', 1e15],
  ['2Pi', 2 ** 51],
  ['100m', 1], // a tenth of a byte rounds up to one
  ['1500m', 2],
  ['0.5Ki', 512],
  [1e6, 1_000_000],
  [1024, 1024],
]

t.test('CPU quantities to millicores', async (t) => {
  for (const [q, want] of CPU) t.equal(parseCpu(q), want, `cpu ${JSON.stringify(q)}`)
})

t.test('memory quantities to bytes', async (t) => {
  for (const [q, want] of MEMORY) t.equal(parseMemory(q), want, `memory ${JSON.stringify(q)}`)
})

t.test('malformed quantities are QuantityErrors', async (t) => {
  for (const q of ['', 'abc', '1.2.3', '1Kb', '1 Mi', ' 1', '1e', 'Mi', '.', '1ki', '1mi', '1e3.5', '--1', '1ee3', 'Infinity', Number.NaN]) {
    t.throws(() => parseMemory(q), { name: 'QuantityError' }, `memory ${JSON.stringify(q)}`)
    t.throws(() => parseCpu(q), { name: 'QuantityError' }, `cpu ${JSON.stringify(q)}`)
  }
})

t.test('negative and unrepresentably large quantities are refused', async (t) => {
  t.throws(() => parseCpu('-1'), { name: 'QuantityError' })
  t.throws(() => parseMemory('-64Mi'), { name: 'QuantityError' })
  t.equal(parseCpu('-0'), 0, 'minus zero is zero')
  t.throws(() => parseMemory('1E'), { name: 'QuantityError' }, '1 exabyte is past 2^53 bytes')
  t.throws(() => parseMemory('1e100'), { name: 'QuantityError' }, 'exponent out of range')
  t.ok(new QuantityError('x') instanceof Error)
})

t.test('formatCpu and formatMemory give the shortest exact form', async (t) => {
  t.equal(formatCpu(2000), '2')
  t.equal(formatCpu(250), '250m')
  t.equal(formatCpu(1500), '1500m')
  t.equal(formatCpu(0), '0')
  t.equal(formatMemory(67_108_864), '64Mi')
  t.equal(formatMemory(1_000_000_000), '1G')
  t.equal(formatMemory(512_000), '500Ki')
  t.equal(formatMemory(1_500_000), '1500k')
  t.equal(formatMemory(2048), '2Ki')
  t.equal(formatMemory(1_024_000), '1000Ki', 'binary suffixes first')
  t.equal(formatMemory(1536), '1536')
  t.equal(formatMemory(0), '0')
  t.throws(() => formatCpu(-1), { name: 'QuantityError' })
  t.throws(() => formatMemory(1.5), { name: 'QuantityError' })
})

t.test('format then parse gives the number back (property)', async (t) => {
  const seed = Number(process.env.SEED ?? 20240501)
  t.comment(`seed ${seed} (SEED=${seed} replays it)`)
  fc.assert(
    fc.property(fc.nat({ max: 2 ** 50 }), fc.constantFrom(1, 1000, 1024, 2 ** 20), (n, unit) => {
      const v = Math.min(n * unit, Number.MAX_SAFE_INTEGER)
      return parseMemory(formatMemory(v)) === v && parseCpu(formatCpu(v)) === v
    }),
    { seed, numRuns: 2000 },
  )
  t.pass('held for 2000 values')
})
