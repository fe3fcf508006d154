// Turns libp2p dial failures into the net layer's named errors.
import { PeerIdMismatchError, PeerUnreachableError, WrongTokenError } from './errors.js'

/**
 * A peer holding another join token fails our token check (WrongTokenError, passed through).
 * A peer with the right token but another identity fails inside Noise, which libp2p reports as
 * an EncryptionFailedError whose message says the identity key does not match.
 * Any other EncryptionFailedError means the remote broke off the handshake: most likely not a
 * podmesh agent, or one from before the token check.
 */
export function mapDialError (err: unknown, target: string): Error {
  const e = err instanceof Error ? err : new Error(String(err))
  if (e.name === 'WrongTokenError') return new WrongTokenError(`${target}: ${e.message}`, { cause: e })
  const text = `${e.name} ${e.message}`
  if (/does not match expected|unexpected peer|UnexpectedPeerError|InvalidPeerIdError/i.test(text)) {
    return new PeerIdMismatchError(`${target} answered with another peer id: ${e.message}`, { cause: e })
  }
  if (e.name === 'EncryptionFailedError') {
    return new PeerUnreachableError(`${target} broke off the handshake, is it a podmesh agent? (${e.message})`, { cause: e })
  }
  return new PeerUnreachableError(`cannot reach ${target}: ${e.message}`, { cause: e })
}
