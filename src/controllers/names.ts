// Names of the pods a Deployment makes: `<deployment>-<templateHash(10)>-<random(5)>`, as Kubernetes
// spells them. The hash names the template revision; the random part is chosen by the leader and
// travels in the Raft command, so every node applies the same name.
import { canonicalJson } from '../state/canonical.js'
import { fnv1a, mix32 } from '../scheduler/hash.js'

/** Kubernetes' SafeEncodeString alphabet: no vowels (no words), no look-alikes (0/o, 1/l, 3/e). */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/** 10 characters that change whenever the pod template changes (labels, annotations or spec). */
export function templateHash(template: unknown): string {
  const text = canonicalJson(template)
  let hi = mix32(fnv1a(text))
  let lo = mix32(fnv1a(text, 0x9747b28c))
  let out = ''
  for (let i = 0; i < 10; i++) {
    // Two 32-bit halves give the ~47 bits that 10 symbols of a 27-letter alphabet hold.
    const src = i % 2 === 0 ? hi : lo
    out += SAFE_ALPHABET[src % SAFE_ALPHABET.length]
    if (i % 2 === 0) hi = Math.floor(hi / SAFE_ALPHABET.length)
    else lo = Math.floor(lo / SAFE_ALPHABET.length)
  }
  return out
}

/** `n` symbols of the alphabet from the given random bytes (one byte per symbol). */
export function randomSuffix(bytes: Uint8Array, n = 5): string {
  if (bytes.length < n) throw new RangeError(`randomSuffix needs ${n} bytes, got ${bytes.length}`)
  let out = ''
  for (let i = 0; i < n; i++) out += SAFE_ALPHABET[bytes[i]! % SAFE_ALPHABET.length]
  return out
}

/** A pod name within the 253-character limit; a long deployment name is cut, as Kubernetes does. */
export function podName(deployment: string, hash: string, suffix: string): string {
  const tail = `-${hash}-${suffix}`
  return deployment.slice(0, 253 - tail.length) + tail
}
