// Spare connections: one connection per endpoint, opened ahead of the client that will use it (Envoy's
// preconnect, HAProxy's idle pool). A client's connection then goes out on a socket that is already
// established, and the endpoint has already accepted it: the connect round trip and the server's accept
// are off the client's path. Spares are lazy: an endpoint gets one only after the mesh has sent it a
// connection, and a new one each time a connection it answered ends. Not as soon as one is taken: opening
// a connection to a pod (socket, connect, the handshake through the bridge) cost more than the forwarding
// itself, and at that moment the client's request had not even been read.
//
// A spare is used only if it has received nothing: a server that speaks first (a greeting, as SMTP or
// MySQL do) would otherwise hand a stale greeting to a client, so such an endpoint gets no more spares.
// One closed by the endpoint before use is replaced by the next connection to the endpoint (not at once:
// an endpoint with no traffic is left alone), after a backoff that doubles up to a minute if it lived
// under 5 s (a server that refuses idle connections).
import type { Socket } from 'node:net'
import type { Endpoint } from './endpoints.js'
import { dialEndpoint } from './forward.js'
import { endpointKey } from './picker.js'

/** A spare that lived at least this long before the endpoint closed it is replaced without backoff. */
const LONG_LIVED_MS = 5_000
const BACKOFF_FIRST_MS = 1_000
const BACKOFF_MAX_MS = 60_000

interface Spare {
  readonly socket: Socket
  readonly openedAt: number
  /** Detaches the idle handlers once the spare is taken. */
  readonly release: () => void
}

interface EndpointState {
  readonly endpoint: Endpoint
  spare: Spare | undefined
  /** No spare before this time (ms since epoch). */
  notBefore: number
  backoffMs: number
  /** The endpoint spoke first: spares would carry what it said to the wrong client. */
  speaksFirst: boolean
}

export class SpareConnections {
  private readonly byKey = new Map<string, EndpointState>()
  private closed = false

  constructor(private readonly now: () => number = Date.now) {}

  /** An established connection to `e` on which nothing was received, or undefined. */
  take(e: Endpoint): Socket | undefined {
    if (this.closed) return undefined
    const key = endpointKey(e)
    const st = this.byKey.get(key) ?? this.track(key, e)
    const s = st.spare
    if (s?.socket.readyState !== 'open') return undefined
    st.spare = undefined
    s.release()
    return s.socket
  }

  /**
   * A connection `e` answered has ended: opens the spare for its next one, unless one is held or being
   * opened, or `e` left rotation since it was taken from.
   */
  replenish(e: Endpoint): void {
    const st = this.byKey.get(endpointKey(e))
    if (st) this.refill(st)
  }

  /** Closes the spares of endpoints not in `ready` (they left rotation). */
  retain(ready: ReadonlySet<string>): void {
    for (const [key, st] of this.byKey) {
      if (ready.has(key)) continue
      this.byKey.delete(key)
      st.spare?.socket.destroy()
    }
  }

  close(): void {
    this.closed = true
    for (const st of this.byKey.values()) st.spare?.socket.destroy()
    this.byKey.clear()
  }

  /** Spares held now, established or being opened. */
  get size(): number {
    let n = 0
    for (const st of this.byKey.values()) if (st.spare) n++
    return n
  }

  private track(key: string, e: Endpoint): EndpointState {
    const st: EndpointState = { endpoint: e, spare: undefined, notBefore: 0, backoffMs: BACKOFF_FIRST_MS, speaksFirst: false }
    this.byKey.set(key, st)
    return st
  }

  private refill(st: EndpointState): void {
    if (this.closed || st.spare || st.speaksFirst || this.now() < st.notBefore) return
    const socket = dialEndpoint(st.endpoint)
    const onData = (): void => {
      st.speaksFirst = true
      socket.destroy()
    }
    const onEnd = (): void => void socket.destroy()
    const onError = (): void => undefined
    const onClose = (): void => {
      if (st.spare !== spare) return
      st.spare = undefined
      const lived = this.now() - spare.openedAt
      if (lived >= LONG_LIVED_MS) st.backoffMs = BACKOFF_FIRST_MS
      else {
        st.notBefore = this.now() + st.backoffMs
        st.backoffMs = Math.min(st.backoffMs * 2, BACKOFF_MAX_MS)
      }
    }
    const release = (): void => {
      socket.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose)
    }
    const spare: Spare = { socket, openedAt: this.now(), release }
    socket.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose)
    st.spare = spare
  }
}
