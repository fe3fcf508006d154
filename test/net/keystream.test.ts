// The private-network keystream: streaming XOR over any chunking equals one-shot XSalsa20, and equals
// the xsalsa20 package that @libp2p/pnet uses (so the wire stays compatible).
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import t from 'tap'
import { xsalsa20 } from '@noble/ciphers/salsa.js'
import { XSalsa20Stream } from '../../src/net/keystream.js'
import { randInt, seededRand } from '../../src/raft/rand.js'
import { testSeed } from './helpers.js'
import type { Bytes } from '../../src/net/keystream.js'
import type { Rand } from '../../src/raft/rand.js'

interface OldXSalsa20 { update: (b: Uint8Array) => Uint8Array, finalize: () => void }
// xsalsa20@1.2.0, still installed as @libp2p/pnet's dependency. CommonJS, untyped.
const oldXSalsa20 = createRequire(import.meta.url)('xsalsa20') as (nonce: Uint8Array, key: Uint8Array) => OldXSalsa20

const KEY = new Uint8Array(randomBytes(32))
const NONCE = new Uint8Array(randomBytes(24))
const MiB = 1 << 20

/** Splits [0, len) into consecutive chunk lengths drawn from `next`. */
function chunking (len: number, next: () => number): number[] {
  const out: number[] = []
  for (let at = 0; at < len;) {
    const n = Math.min(next(), len - at)
    out.push(n)
    at += n
  }
  return out
}

/** A random chunk length: mostly small, sometimes large, so writes start and end anywhere in a block. */
function randomSize (rand: Rand): number {
  const r = rand()
  if (r < 0.4) return randInt(rand, 1, 130)
  if (r < 0.8) return randInt(rand, 1, 5000)
  return randInt(rand, 1, 400_000)
}

function streamed (data: Uint8Array, sizes: readonly number[], s = new XSalsa20Stream(KEY, NONCE)): Uint8Array {
  const out = new Uint8Array(data.length)
  let at = 0
  for (const n of sizes) {
    out.set(s.update(data.subarray(at, at + n)), at)
    at += n
  }
  return out
}

const equal = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0

t.test('streaming XOR over any chunking equals one-shot XSalsa20 of the whole buffer', async t => {
  const small = new Uint8Array(randomBytes(10_000))
  const smallRef = xsalsa20(KEY, NONCE, small)
  for (const size of [1, 2, 3, 63, 64, 65, 127, 128, 129, 4096]) {
    t.ok(equal(streamed(small, chunking(small.length, () => size)), smallRef), `chunks of ${size}`)
  }
  const big = new Uint8Array(randomBytes(3 * MiB + 17))
  const bigRef = xsalsa20(KEY, NONCE, big)
  t.ok(equal(streamed(big, chunking(big.length, () => MiB)), bigRef), 'chunks of 1 MiB')
  t.ok(equal(streamed(big, [big.length]), bigRef), 'one write')
  t.ok(equal(streamed(big, [5, big.length - 5]), bigRef), '5 bytes, then the rest')

  const seed = testSeed()
  t.comment(`seed ${seed} (replay with SEED=${seed})`)
  const rand = seededRand(seed)
  for (let round = 0; round < 20; round++) {
    const sizes = chunking(big.length, () => randomSize(rand))
    t.ok(equal(streamed(big, sizes), bigRef), `seed ${seed} round ${round}: ${sizes.length} random chunks`)
  }
})

t.test('inputs are not changed, and unaligned views work', async t => {
  const data = new Uint8Array(randomBytes(5000))
  const copy = Uint8Array.from(data)
  const ref = xsalsa20(KEY, NONCE, data.subarray(1))
  t.ok(equal(streamed(data.subarray(1), [3, 1000, 3996]), ref))
  t.ok(equal(data, copy), 'input untouched')
})

t.test('a list of chunks (Uint8ArrayList) is XORed as one write', async t => {
  const data = new Uint8Array(randomBytes(3000))
  const listOf = (...parts: Uint8Array[]): Bytes =>
    ({ byteLength: parts.reduce((n, p) => n + p.length, 0), [Symbol.iterator]: () => parts[Symbol.iterator]() })
  const ref = xsalsa20(KEY, NONCE, data)
  const whole = new XSalsa20Stream(KEY, NONCE).update(listOf(data.subarray(0, 7), data.subarray(7, 7), data.subarray(7)))
  t.ok(equal(whole, ref), 'from the start')
  const s = new XSalsa20Stream(KEY, NONCE)
  const first = s.update(data.subarray(0, 10))
  const rest = s.update(listOf(data.subarray(10, 501), data.subarray(501)))
  t.ok(equal(Buffer.concat([first, rest]), ref), 'after a write that ended inside a block')
  t.equal(s.offset, 3000)
})

t.test('same bytes as the xsalsa20 package @libp2p/pnet uses (a few KB)', async t => {
  const seed = testSeed()
  t.comment(`seed ${seed} (replay with SEED=${seed})`)
  const rand = seededRand(seed)
  for (let round = 0; round < 10; round++) {
    const key = new Uint8Array(randomBytes(32))
    const nonce = new Uint8Array(randomBytes(24))
    const data = new Uint8Array(randomBytes(randInt(rand, 1, 8192)))
    const old = oldXSalsa20(nonce, key)
    const ours = new XSalsa20Stream(key, nonce)
    const sizes = chunking(data.length, () => randInt(rand, 1, 300))
    const a: Uint8Array[] = []
    const b: Uint8Array[] = []
    let at = 0
    for (const n of sizes) {
      a.push(old.update(data.subarray(at, at + n)))
      b.push(ours.update(data.subarray(at, at + n)))
      at += n
    }
    old.finalize()
    t.ok(equal(Buffer.concat(a), Buffer.concat(b)), `seed ${seed} round ${round}: ${data.length} bytes in ${sizes.length} writes`)
    t.ok(equal(Buffer.concat(b), xsalsa20(key, nonce, data)))
  }
})

t.test('at the end of the keystream: the last blocks are right, then KeystreamExhaustedError, consuming nothing', async t => {
  const first = 2 ** 32 - 3 // blocks 2^32 - 3 and 2^32 - 2 are the last two noble produces
  const data = new Uint8Array(randomBytes(128))
  const s = new XSalsa20Stream(KEY, NONCE, first)
  const out = Buffer.concat([s.update(data.subarray(0, 100)), s.update(data.subarray(100))])
  t.ok(equal(out, xsalsa20(KEY, NONCE, data, undefined, first)))
  const offset = s.offset
  t.throws(() => s.update(new Uint8Array(1)), { name: 'KeystreamExhaustedError' })
  t.equal(s.offset, offset)
  t.equal(s.update(new Uint8Array(0)).length, 0, 'an empty write still works')
})

t.test('key and nonce sizes are checked', async t => {
  t.throws(() => new XSalsa20Stream(new Uint8Array(31), NONCE), RangeError)
  t.throws(() => new XSalsa20Stream(KEY, new Uint8Array(8)), RangeError)
})

t.test('throughput against the old xsalsa20 package (a measurement, not asserted)', async t => {
  const data = new Uint8Array(randomBytes(MiB))
  const rounds = 32
  const time = (update: (b: Uint8Array) => Uint8Array): number => {
    update(data)
    const start = performance.now()
    for (let i = 0; i < rounds; i++) update(data)
    return rounds * MiB / 1e6 / ((performance.now() - start) / 1000)
  }
  const ours = new XSalsa20Stream(KEY, NONCE)
  const old = oldXSalsa20(NONCE, KEY)
  const mbps = { ours: time(b => ours.update(b)), old: time(b => old.update(b)) }
  old.finalize()
  t.comment(`XOR of 1 MiB writes: ours ${mbps.ours.toFixed(0)} MB/s, xsalsa20 (WASM) ${mbps.old.toFixed(0)} MB/s`)
  t.ok(mbps.ours > 0)
})
