// Turns libp2p dial failures into the net layer's named errors.
import { PeerIdMismatchError, PeerUnreachableError, WrongTokenError } from './errors.js'

/**
 * With the private-network protector, a peer holding another join token decrypts our
 * multistream-select header as noise and resets the connection; libp2p reports this as an
 * EncryptionFailedError. A peer with the right token but another identity fails inside Noise
 * with an UnexpectedPeerError message.
 */
export function mapDialError (err: unknown, target: string): Error {
  const e = err instanceof Error ? err : new Error(String(err))
  const text = `${e.name} ${e.message}`
  if (/unexpected peer|peer id|UnexpectedPeer|InvalidPeerId/i.test(text)) {
    return new PeerIdMismatchError(`${target} answered with another peer id: ${e.message}`, { cause: e })
  }
  if (e.name === 'EncryptionFailedError') {
    return new WrongTokenError(
      `${target} rejected the handshake: it is not a podmesh agent of this cluster, or it was given another join token (${e.message})`,
      { cause: e })
  }
  return new PeerUnreachableError(`cannot reach ${target}: ${e.message}`, { cause: e })
}
