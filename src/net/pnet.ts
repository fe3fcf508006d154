// libp2p's private network (PSK v1), wire-compatible with @libp2p/pnet, on @noble/ciphers.
//
// Protocol: each side sends a random 24-byte nonce; from then on every byte a side sends is XORed
// with the XSalsa20 keystream of (psk, its own nonce), as one continuous stream across writes.
//
// Why not @libp2p/pnet: its xsalsa20 package (1.2.0) keeps all cipher instances in one shared WASM
// memory. When one instance grows that memory, every other instance's cached view of it is detached,
// so their next update grows it again by its whole size; with several busy connections memory climbs
// to the maximum and `WebAssembly.Memory.grow()` throws from a socket 'data' handler, killing the
// process. Here each direction owns a plain-JS XSalsa20Stream (keystream.ts), and a failure while
// XORing aborts that one connection instead of escaping from the event handler.
//
// Modelled on @libp2p/pnet 3.x (dist/src/index.js and crypto.js): same handshake and timeout, same
// swarm key file format, same drain/close/pause/resume handling.
import './polyfill.js'
import { AbstractMultiaddrConnection, byteStream } from '@libp2p/utils'
import { InvalidSwarmKeyError } from './errors.js'
import { KEY_LENGTH, NONCE_LENGTH, XSalsa20Stream } from './keystream.js'
import { WriteCoalescer } from './write-coalescer.js'
import type { AbortOptions, ConnectionProtector, Logger, MessageStream, MultiaddrConnection } from '@libp2p/interface'
import type { SendResult } from '@libp2p/utils'

export interface PrivateNetworkInit {
  /** The swarm key file contents: `/key/swarm/psk/1.0.0/`, `/base16/`, then 64 hex digits, one per line. */
  readonly psk: Uint8Array
  /** Bound on the nonce exchange when the caller passes no signal. Default 1000 ms, as @libp2p/pnet. */
  readonly timeout?: number
}

/** A connectionProtector factory for createLibp2p, like @libp2p/pnet's `preSharedKey`. */
export function privateNetwork (init: PrivateNetworkInit): () => ConnectionProtector {
  const psk = decodeSwarmKey(init.psk)
  const timeout = init.timeout ?? 1000
  return () => new PrivateNetworkProtector(psk, timeout)
}

/** The 32-byte key inside a swarm key file. Like @libp2p/pnet, the first two lines (tag and codec) are not checked. */
export function decodeSwarmKey (file: Uint8Array): Uint8Array {
  const lines = new TextDecoder().decode(file).split(/\r\n|\r|\n/)
  const hex = lines[2] ?? ''
  if (!new RegExp(`^[0-9a-fA-F]{${KEY_LENGTH * 2}}$`).test(hex)) {
    throw new InvalidSwarmKeyError(`swarm key must be "/key/swarm/psk/1.0.0/", "/base16/" and ${KEY_LENGTH * 2} hex digits, one per line`)
  }
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

class PrivateNetworkProtector implements ConnectionProtector {
  readonly [Symbol.toStringTag] = '@podmesh/pnet'

  constructor (private readonly psk: Uint8Array, private readonly timeout: number) {}

  async protect (connection: MessageStream, options?: AbortOptions): Promise<MessageStream> {
    const log = connection.log.newScope('pnet')
    log('protecting the connection')
    const localNonce = crypto.getRandomValues(new Uint8Array(NONCE_LENGTH))
    const signal = options?.signal ?? AbortSignal.timeout(this.timeout)
    const bytes = byteStream(connection)
    const [remote] = await Promise.all([
      bytes.read({ bytes: NONCE_LENGTH, signal }),
      bytes.write(localNonce, { signal })
    ])
    log('exchanged nonces')
    return new BoxedConnection({
      // libp2p protects the raw transport connection, a MultiaddrConnection (as @libp2p/pnet assumes).
      maConn: bytes.unwrap() as MultiaddrConnection,
      inbound: new XSalsa20Stream(this.psk, remote.subarray()),
      outbound: new XSalsa20Stream(this.psk, localNonce),
      log
    })
  }
}

interface BoxedConnectionInit {
  readonly maConn: MultiaddrConnection
  readonly inbound: XSalsa20Stream
  readonly outbound: XSalsa20Stream
  readonly log: Logger
}

/**
 * The connection as the upper layers see it: plaintext in and out, XSalsa20 on the wire. The bytes
 * written in one turn of the event loop leave in one socket write (write-coalescer.ts).
 */
class BoxedConnection extends AbstractMultiaddrConnection {
  private readonly maConn: MultiaddrConnection
  private readonly outbound: XSalsa20Stream
  private readonly coalescer: WriteCoalescer

  constructor (init: BoxedConnectionInit) {
    super({ log: init.log, remoteAddr: init.maConn.remoteAddr, direction: init.maConn.direction })
    this.maConn = init.maConn
    this.outbound = init.outbound
    this.coalescer = new WriteCoalescer({
      // One XOR over all the chunks: one array made instead of one per chunk and another to join them.
      write: (chunks, byteLength) => this.maConn.send(this.outbound.update({ byteLength, [Symbol.iterator]: () => chunks[Symbol.iterator]() })),
      onWritable: () => { this.onMuxerDrain() },
      onError: err => { this.abort(err) }
    })
    const inbound = init.inbound
    this.maConn.addEventListener('message', evt => {
      let plain: Uint8Array
      try {
        plain = inbound.update(evt.data)
      } catch (err) {
        // Never let an exception escape a socket event handler: it would kill the process.
        this.abort(err instanceof Error ? err : new Error(String(err)))
        return
      }
      this.onData(plain)
    })
    // resume sending when the underlying connection can accept more data
    this.maConn.addEventListener('drain', () => { this.coalescer.socketDrained() })
    this.maConn.addEventListener('close', evt => {
      this.coalescer.clear()
      if (evt.error == null) this.onTransportClosed()
      else if (evt.local) this.abort(evt.error)
      else this.onRemoteReset()
    })
  }

  async sendClose (options?: AbortOptions): Promise<void> {
    this.coalescer.flushAll()
    await this.maConn.close(options)
  }

  /** XORed when the coalescer writes; a used-up keystream then aborts this connection (its writers see it close). */
  sendData (data: Parameters<AbstractMultiaddrConnection['sendData']>[0]): SendResult {
    let canSendMore = true
    if (data instanceof Uint8Array) canSendMore = this.coalescer.push(data)
    else for (const chunk of data) canSendMore = this.coalescer.push(chunk)
    return { sentBytes: data.byteLength, canSendMore }
  }

  sendReset (err: Error): void {
    this.coalescer.clear()
    this.maConn.abort(err)
  }

  sendPause (): void {
    this.maConn.pause()
  }

  sendResume (): void {
    this.maConn.resume()
  }
}
