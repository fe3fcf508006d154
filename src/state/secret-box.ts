import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import type { ObjectKey } from './commands.js'
import { objectKey } from './store.js'

/**
 * A Secret's data as it travels in the Raft log and rests in snapshots: AES-256-GCM ciphertext under the
 * cluster key, with the object key as additional data (a sealed value cannot be moved to another object).
 * `mac` is a keyed digest of the plaintext, so the store can tell "unchanged" without the key.
 */
export interface SealedData {
  readonly v: 1
  /** base64 of the 12-byte IV. */
  readonly iv: string
  /** base64 of ciphertext || 16-byte tag. */
  readonly ct: string
  /** base64 HMAC-SHA256 over the object key and the canonical plaintext. */
  readonly mac: string
}

export class SecretDecryptError extends Error {
  static override readonly name = 'SecretDecryptError'
  override readonly name = 'SecretDecryptError'
}

const IV_BYTES = 12
const TAG_BYTES = 16

/** Seals and opens Secret data with a 256-bit key derived from the join token's secret, which every member holds. */
export class SecretBox {
  private constructor(
    private readonly key: Buffer,
    private readonly macKey: Buffer,
  ) {}

  static fromJoinSecret(secret: Uint8Array): SecretBox {
    const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'podmesh/secrets/v1', 32))
    const macKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'podmesh/secrets/v1/mac', 32))
    return new SecretBox(key, macKey)
  }

  seal(k: ObjectKey, data: Readonly<Record<string, string>>): SealedData {
    const plain = Buffer.from(canonical(data), 'utf8')
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    cipher.setAAD(Buffer.from(objectKey(k), 'utf8'))
    const ct = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()])
    return { v: 1, iv: iv.toString('base64'), ct: ct.toString('base64'), mac: this.mac(k, plain) }
  }

  open(k: ObjectKey, sealed: SealedData): Record<string, string> {
    try {
      const ct = Buffer.from(sealed.ct, 'base64')
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64'))
      decipher.setAAD(Buffer.from(objectKey(k), 'utf8'))
      decipher.setAuthTag(ct.subarray(ct.length - TAG_BYTES))
      const plain = Buffer.concat([decipher.update(ct.subarray(0, ct.length - TAG_BYTES)), decipher.final()])
      return JSON.parse(plain.toString('utf8')) as Record<string, string>
    } catch (err) {
      throw new SecretDecryptError(`cannot decrypt the data of ${objectKey(k)}: ${(err as Error).message}`)
    }
  }

  private mac(k: ObjectKey, plain: Buffer): string {
    return createHmac('sha256', this.macKey).update(objectKey(k)).update('\0').update(plain).digest('base64')
  }
}

/** Keys sorted, so equal maps give equal bytes (and equal macs). */
function canonical(data: Readonly<Record<string, string>>): string {
  const out: Record<string, string> = {}
  for (const k of Object.keys(data).sort()) out[k] = data[k]!
  return JSON.stringify(out)
}

export function isSealed(v: unknown): v is SealedData {
  return typeof v === 'object' && v !== null && (v as SealedData).v === 1 && typeof (v as SealedData).ct === 'string' && typeof (v as SealedData).mac === 'string'
}
