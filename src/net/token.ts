// The cluster join token: made once at cluster creation, pasted into `agent join`.
// Wire form: `pm1.` + base64url( secret[32] | idLen[1] | clusterId[idLen] | check[4] ),
// where check = sha256(everything before it)[0..4] catches truncated or mistyped pastes.
// The libp2p private-network key is derived from the secret, so without the token
// a process cannot get past the pnet handshake, before Noise even starts.
import { createHash, hkdfSync, randomBytes } from 'node:crypto'
import { InvalidJoinTokenError } from './errors.js'

export const TOKEN_PREFIX = 'pm1.'
export const SECRET_BYTES = 32
const CHECK_BYTES = 4
const MAX_CLUSTER_ID_BYTES = 64

export interface JoinToken {
  readonly secret: Uint8Array
  /** Short human name of the cluster, may be empty. */
  readonly clusterId: string
}

export function createJoinToken (clusterId = ''): JoinToken {
  checkClusterId(clusterId)
  return { secret: new Uint8Array(randomBytes(SECRET_BYTES)), clusterId }
}

export function formatJoinToken (t: JoinToken): string {
  if (t.secret.length !== SECRET_BYTES) throw new InvalidJoinTokenError(`join token secret must be ${SECRET_BYTES} bytes`)
  checkClusterId(t.clusterId)
  const id = Buffer.from(t.clusterId, 'utf8')
  const body = Buffer.concat([t.secret, Buffer.of(id.length), id])
  return TOKEN_PREFIX + Buffer.concat([body, checksum(body)]).toString('base64url')
}

export function parseJoinToken (s: string): JoinToken {
  const text = s.trim()
  if (!text.startsWith(TOKEN_PREFIX)) {
    throw new InvalidJoinTokenError(`malformed join token: expected it to start with "${TOKEN_PREFIX}"`)
  }
  const b64 = text.slice(TOKEN_PREFIX.length)
  if (!/^[A-Za-z0-9_-]+$/.test(b64)) throw new InvalidJoinTokenError('malformed join token: invalid characters after the prefix')
  const raw = Buffer.from(b64, 'base64url')
  const minLen = SECRET_BYTES + 1 + CHECK_BYTES
  if (raw.length < minLen) throw new InvalidJoinTokenError('malformed join token: too short (was it cut off when copied?)')
  const body = raw.subarray(0, raw.length - CHECK_BYTES)
  if (!checksum(body).equals(raw.subarray(raw.length - CHECK_BYTES))) {
    throw new InvalidJoinTokenError('malformed join token: checksum mismatch (was it mistyped or cut off?)')
  }
  const idLen = body[SECRET_BYTES] as number
  if (body.length !== SECRET_BYTES + 1 + idLen) throw new InvalidJoinTokenError('malformed join token: inconsistent length')
  const clusterId = body.subarray(SECRET_BYTES + 1).toString('utf8')
  return { secret: new Uint8Array(body.subarray(0, SECRET_BYTES)), clusterId }
}

/** The swarm key file of libp2p private networks (`/key/swarm/psk/1.0.0/`, base16; see pnet.ts), derived from the secret. */
export function swarmKeyFromToken (t: JoinToken): Uint8Array {
  const psk = Buffer.from(hkdfSync('sha256', t.secret, Buffer.alloc(0), 'podmesh/pnet/v1', 32))
  return new Uint8Array(Buffer.from(`/key/swarm/psk/1.0.0/\n/base16/\n${psk.toString('hex')}`, 'utf8'))
}

function checksum (body: Uint8Array): Buffer {
  return createHash('sha256').update(body).digest().subarray(0, CHECK_BYTES)
}

function checkClusterId (id: string): void {
  if (Buffer.byteLength(id, 'utf8') > MAX_CLUSTER_ID_BYTES) {
    throw new InvalidJoinTokenError(`cluster id longer than ${MAX_CLUSTER_ID_BYTES} bytes`)
  }
}
