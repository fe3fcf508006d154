// One direction of a private-network connection: the XSalsa20 keystream of (psk, nonce), XORed
// over the bytes as one continuous stream, however they are split into writes.
//
// XSalsa20(key, nonce) is Salsa20 keyed with HSalsa20(key, nonce[0..16)) and nonced with
// nonce[16..24); we derive that subkey once, then ask @noble/ciphers' salsa20 for keystream by
// 64-byte block counter. Small writes are served from `pad`, keystream made 64 blocks at a time
// (one noble call per 4 KiB instead of one or two per write); large writes XOR their whole blocks
// directly. Worked example, writes of 10, 100 and 9000 bytes:
//   write 1: pad empty; 10 < 4 KiB → make blocks 0..63 into pad, use pad[0..10).
//   write 2: 100 bytes from pad[10..110).
//   write 3: 3986 from pad[110..4096); 5014 left ≥ 4 KiB → blocks 64..141 directly (4992 bytes);
//            22 left → make blocks 142..205 into pad, use pad[0..22).
// Plain JS, no state shared between instances (the WASM xsalsa20 package shared one memory between
// all its instances; see pnet.ts).
import { hsalsa, salsa20 } from '@noble/ciphers/salsa.js'
import { KeystreamExhaustedError } from './errors.js'

export const KEY_LENGTH = 32
export const NONCE_LENGTH = 24
const BLOCK = 64
const PAD_BLOCKS = 64
const PAD_BYTES = PAD_BLOCKS * BLOCK
/** noble never lets its 32-bit block counter wrap: blocks 0 .. 2^32 - 2 are usable (about 256 GiB). */
const MAX_BLOCKS = 2 ** 32 - 1
const SIGMA = new TextEncoder().encode('expand 32-byte k')

/** A byte array, or a list of chunks taken in order (a Uint8ArrayList). */
export type Bytes = Uint8Array | { readonly byteLength: number, [Symbol.iterator]: () => Iterator<Uint8Array> }

export class XSalsa20Stream {
  readonly #subkey: Uint8Array
  readonly #nonce8: Uint8Array
  /** The next block to generate. */
  #block: number
  /** pad[#padPos..#padEnd) is keystream made but not used yet; it ends where block #block starts. */
  readonly #pad = new Uint8Array(PAD_BYTES)
  #padPos = 0
  #padEnd = 0

  /** `firstBlock` is for tests near the end of the keystream. */
  constructor (key: Uint8Array, nonce: Uint8Array, firstBlock = 0) {
    if (key.length !== KEY_LENGTH) throw new RangeError(`xsalsa20 key must be ${KEY_LENGTH} bytes`)
    if (nonce.length !== NONCE_LENGTH) throw new RangeError(`xsalsa20 nonce must be ${NONCE_LENGTH} bytes`)
    // hsalsa takes and returns 32-bit views of byte arrays (it handles big-endian hosts itself).
    const subkey = new Uint32Array(8)
    hsalsa(words(SIGMA), words(key), words(nonce.subarray(0, 16)), subkey)
    this.#subkey = new Uint8Array(subkey.buffer)
    this.#nonce8 = Uint8Array.from(nonce.subarray(16))
    this.#block = firstBlock
  }

  /** Bytes of keystream used so far. */
  get offset (): number {
    return this.#block * BLOCK - (this.#padEnd - this.#padPos)
  }

  /**
   * Returns a new array: `input` XOR the next `input.byteLength` keystream bytes. `input` is not changed.
   * Throws KeystreamExhaustedError, consuming nothing, if the keystream would run past noble's counter.
   */
  update (input: Bytes): Uint8Array {
    const len = input.byteLength
    if (this.offset + len > MAX_BLOCKS * BLOCK) {
      throw new KeystreamExhaustedError(`the private-network keystream is used up after ${this.offset} bytes`)
    }
    const fromPad = Math.min(len, this.#padEnd - this.#padPos)
    // Place the output so that the bytes after the pad's start 4-byte aligned: noble XORs aligned
    // data by 32-bit words, about 1.5x faster than by bytes.
    const shift = (4 - (fromPad & 3)) & 3
    const out = new Uint8Array(new ArrayBuffer(len + shift), shift, len)
    copyInto(out, input)
    this.#xorPad(out, 0, fromPad)
    let at = fromPad
    if (len - at >= PAD_BYTES) {
      const mid = out.subarray(at, at + Math.floor((len - at) / BLOCK) * BLOCK)
      salsa20(this.#subkey, this.#nonce8, mid, mid, this.#block)
      this.#block += mid.length / BLOCK
      at += mid.length
    }
    if (at < len) {
      this.#refill()
      this.#xorPad(out, at, len - at)
    }
    return out
  }

  #xorPad (out: Uint8Array, at: number, n: number): void {
    const pad = this.#pad
    for (let i = 0, p = this.#padPos; i < n; i++) out[at + i] = (out[at + i] as number) ^ (pad[p + i] as number)
    this.#padPos += n
  }

  /** Only when the pad is used up. The check in update() guarantees enough blocks remain. */
  #refill (): void {
    const blocks = Math.min(PAD_BLOCKS, MAX_BLOCKS - this.#block)
    const pad = this.#pad.subarray(0, blocks * BLOCK)
    pad.fill(0)
    salsa20(this.#subkey, this.#nonce8, pad, pad, this.#block)
    this.#block += blocks
    this.#padPos = 0
    this.#padEnd = pad.length
  }
}

/** A 32-bit view of a copy of `b` (aligned, whatever b's offset). */
function words (b: Uint8Array): Uint32Array {
  return new Uint32Array(Uint8Array.from(b).buffer)
}

function copyInto (out: Uint8Array, input: Bytes): void {
  if (input instanceof Uint8Array) {
    out.set(input)
    return
  }
  let at = 0
  for (const chunk of input) {
    out.set(chunk, at)
    at += chunk.byteLength
  }
}
