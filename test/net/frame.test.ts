import t from 'tap'
import { seededRand, randInt } from '../../src/raft/rand.js'
import { FrameDecoder, encodeFrames } from '../../src/net/frame.js'
import { testSeed } from './helpers.js'

function collect (max: number): { dec: FrameDecoder, frames: Uint8Array[], oversize: number[], push: (c: Uint8Array) => void } {
  const dec = new FrameDecoder(max)
  const frames: Uint8Array[] = []
  const oversize: number[] = []
  const sink = { frame: (b: Uint8Array) => { frames.push(b) }, oversize: (n: number) => { oversize.push(n) } }
  return { dec, frames, oversize, push: c => { dec.push(c, sink) } }
}

const bytes = (...xs: number[]): Uint8Array => new Uint8Array(xs)

t.test('several frames in one chunk', async t => {
  const c = collect(100)
  c.push(encodeFrames([bytes(1), bytes(2, 3), bytes()]))
  t.same(c.frames.map(f => [...f]), [[1], [2, 3], []])
  t.equal(c.dec.bufferedBytes, 0)
})

t.test('a frame split byte by byte, prefix included', async t => {
  const c = collect(100)
  const wire = encodeFrames([bytes(9, 8, 7), bytes(6)])
  for (const b of wire) c.push(bytes(b))
  t.same(c.frames.map(f => [...f]), [[9, 8, 7], [6]])
})

t.test('frames are private copies, not views of the input chunk', async t => {
  const c = collect(100)
  const wire = encodeFrames([bytes(1, 2)])
  c.push(wire)
  wire.fill(0)
  t.same([...(c.frames[0] as Uint8Array)], [1, 2])
})

t.test('an over-limit prefix is reported and its body skipped without buffering', async t => {
  const c = collect(10)
  const body = new Uint8Array(1000).fill(7)
  const wire = encodeFrames([bytes(1), body, bytes(2)])
  // Feed in 100-byte chunks: the decoder must never hold the oversize body.
  let maxBuffered = 0
  for (let i = 0; i < wire.length; i += 100) {
    c.push(wire.subarray(i, i + 100))
    maxBuffered = Math.max(maxBuffered, c.dec.bufferedBytes)
  }
  t.same(c.oversize, [1000])
  t.same(c.frames.map(f => [...f]), [[1], [2]])
  t.ok(maxBuffered < 10, `buffered at most ${maxBuffered} bytes`)
})

t.test('a 4 GiB length prefix does not allocate', async t => {
  const c = collect(16)
  c.push(bytes(0xff, 0xff, 0xff, 0xff, 1, 2, 3))
  t.same(c.oversize, [0xffff_ffff])
  t.equal(c.dec.bufferedBytes, 0)
  t.equal(c.frames.length, 0)
})

t.test('exactly the limit is accepted', async t => {
  const c = collect(4)
  c.push(encodeFrames([bytes(1, 2, 3, 4), bytes(1, 2, 3, 4, 5)]))
  t.equal(c.frames.length, 1)
  t.same(c.oversize, [5])
})

t.test('random chunkings decode to the same frames (seeded)', async t => {
  const seed = testSeed()
  t.comment(`seed ${seed} (replay with SEED=${seed})`)
  const rand = seededRand(seed)
  for (let round = 0; round < 50; round++) {
    const bodies = Array.from({ length: randInt(rand, 1, 20) }, () =>
      Uint8Array.from({ length: randInt(rand, 0, 300) }, () => randInt(rand, 0, 256)))
    const wire = encodeFrames(bodies)
    const c = collect(250)
    for (let i = 0; i < wire.length;) {
      const n = randInt(rand, 1, 64)
      c.push(wire.subarray(i, i + n))
      i += n
    }
    const expected = bodies.filter(b => b.length <= 250).map(b => [...b])
    t.same(c.frames.map(f => [...f]), expected, `seed ${seed} round ${round}`)
    t.equal(c.oversize.length, bodies.length - expected.length, `seed ${seed} round ${round}`)
  }
})
