// Named errors of the net layer. Tests and callers match on `name`, never on message text.

export class IdentityFileError extends Error {
  override name = 'IdentityFileError'
  constructor (readonly file: string, reason: string, options?: ErrorOptions) {
    super(`identity file ${file}: ${reason}`, options)
  }
}

export class InvalidJoinTokenError extends Error {
  override name = 'InvalidJoinTokenError'
}

export class InvalidAddressError extends Error {
  override name = 'InvalidAddressError'
}

/** The remote closed the connection during the handshake: it is not in this mesh or holds another join token. */
export class WrongTokenError extends Error {
  override name = 'WrongTokenError'
}

/** The private-network key (swarm key) is not in the `/key/swarm/psk/1.0.0/` format with a 32-byte base16 key. */
export class InvalidSwarmKeyError extends Error {
  override name = 'InvalidSwarmKeyError'
}

/** One direction of a private-network connection has used its whole keystream (about 256 GiB): the connection is closed and redialled. */
export class KeystreamExhaustedError extends Error {
  override name = 'KeystreamExhaustedError'
}

/** No connection could be made to the peer (refused, timed out, unreachable). */
export class PeerUnreachableError extends Error {
  override name = 'PeerUnreachableError'
}

/** The address answered with another peer id than the one expected. */
export class PeerIdMismatchError extends Error {
  override name = 'PeerIdMismatchError'
}

export class MeshNotStartedError extends Error {
  override name = 'MeshNotStartedError'
  constructor () { super('the mesh is not started') }
}

export class RpcTimeoutError extends Error {
  override name = 'RpcTimeoutError'
}

export class RpcAbortedError extends Error {
  override name = 'RpcAbortedError'
}

/** The connection carrying the call closed before the reply arrived; the handler may or may not have run. */
export class RpcConnectionLostError extends Error {
  override name = 'RpcConnectionLostError'
}

/** The remote has no handler for the method. Travels back as a RemoteError with this name. */
export class NoSuchMethodError extends Error {
  override name = 'NoSuchMethodError'
}

/** The request or reply is larger than maxFrameBytes. */
export class FrameTooLargeError extends Error {
  override name = 'FrameTooLargeError'
}

/**
 * An error thrown by the remote handler. `name` is the remote error's name
 * (so `err.name === 'NotLeaderError'` works across the wire); `remote` tells it apart from local errors.
 */
export class RemoteError extends Error {
  readonly remote = true as const
  constructor (name: string, message: string, readonly peer: string) {
    super(message)
    this.name = name
  }
}

export function isRemoteError (err: unknown): err is RemoteError {
  return err instanceof RemoteError
}
