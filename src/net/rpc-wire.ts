// RPC frames on /podmesh/rpc/1, msgpackr arrays inside length-prefixed frames:
//   request [0, id, method, body]   reply [1, id, body]   error reply [2, id, name, message]
// A caller opens one long-lived stream per peer and multiplexes calls on it by id.
import { decode, encode } from '../raft/codec.js'

export const RPC_REQUEST = 0
export const RPC_REPLY = 1
export const RPC_ERROR = 2

export type RpcFrame =
  | { readonly kind: typeof RPC_REQUEST, readonly id: number, readonly method: string, readonly body: unknown }
  | { readonly kind: typeof RPC_REPLY, readonly id: number, readonly body: unknown }
  | { readonly kind: typeof RPC_ERROR, readonly id: number, readonly name: string, readonly message: string }

export function encodeRequest (id: number, method: string, body: unknown): Uint8Array {
  return encode([RPC_REQUEST, id, method, body])
}

export function encodeReply (id: number, body: unknown): Uint8Array {
  return encode([RPC_REPLY, id, body])
}

export function encodeError (id: number, name: string, message: string): Uint8Array {
  return encode([RPC_ERROR, id, name, message])
}

/** Decodes one frame body; undefined when it is not a well-formed RPC frame. Throws when msgpack decoding fails. */
export function decodeRpcFrame (bytes: Uint8Array): RpcFrame | undefined {
  const v = decode<unknown>(bytes)
  if (!Array.isArray(v) || typeof v[1] !== 'number' || !Number.isSafeInteger(v[1])) return undefined
  const id = v[1]
  switch (v[0]) {
    case RPC_REQUEST:
      return v.length === 4 && typeof v[2] === 'string' ? { kind: RPC_REQUEST, id, method: v[2], body: v[3] } : undefined
    case RPC_REPLY:
      return v.length === 3 ? { kind: RPC_REPLY, id, body: v[2] } : undefined
    case RPC_ERROR:
      return v.length === 4 && typeof v[2] === 'string' && typeof v[3] === 'string'
        ? { kind: RPC_ERROR, id, name: v[2], message: v[3] }
        : undefined
    default:
      return undefined
  }
}
