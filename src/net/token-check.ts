// A private-network protector that tells a wrong join token apart from a network failure.
//
// The private network alone (pnet.ts, as @libp2p/pnet) cannot: with different keys each side
// decrypts the other's bytes as noise, and the dial then either resets or hangs until a timeout,
// depending on what the noise looks like. Right after the pnet nonce exchange, each side sends a
// fixed 16-byte marker through the encrypted channel and checks the one it receives: a mismatch
// means the keys differ, so the dial fails at once with WrongTokenError on both ends.
import { byteStream } from '@libp2p/utils'
import { WrongTokenError } from './errors.js'
import { privateNetwork } from './pnet.js'
import type { AbortOptions, ConnectionProtector, MessageStream } from '@libp2p/interface'

const MARKER = new TextEncoder().encode('podmesh/pnet/ok1')

export interface TokenCheckInit {
  readonly swarmKey: Uint8Array
  /** Bound on the nonce exchange and the marker exchange. Default 2000 ms. */
  readonly timeoutMs?: number
  /** Called when a remote fails the check (inbound or outbound). */
  readonly onReject?: (remoteAddr: string, direction: string) => void
}

export function tokenCheckedProtector (init: TokenCheckInit): () => ConnectionProtector {
  const timeoutMs = init.timeoutMs ?? 2000
  const inner = privateNetwork({ psk: init.swarmKey, timeout: timeoutMs })
  return () => {
    const pnet = inner()
    return {
      async protect (conn: MessageStream, options?: AbortOptions): Promise<MessageStream> {
        const boxed = await pnet.protect(conn, options)
        const signal = options?.signal ?? AbortSignal.timeout(timeoutMs)
        const bytes = byteStream(boxed)
        const [got] = await Promise.all([
          bytes.read({ bytes: MARKER.length, signal }),
          bytes.write(MARKER, { signal })
        ])
        if (!equal(got.subarray(), MARKER)) {
          const remote = String((conn as { remoteAddr?: unknown }).remoteAddr ?? 'remote')
          init.onReject?.(remote, conn.direction)
          const err = new WrongTokenError(`${remote} holds another join token, or is not a podmesh agent (private network check failed)`)
          boxed.abort(err)
          throw err
        }
        return bytes.unwrap()
      }
    }
  }
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}
