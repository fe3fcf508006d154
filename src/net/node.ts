// Builds the libp2p node: TCP, the private-network protector (with its token check), Noise, yamux. No other services.
import './polyfill.js'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { tokenCheckedProtector } from './token-check.js'
import type { TCPOptions } from '@libp2p/tcp'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface NodeInit {
  readonly privateKey: PrivateKey
  readonly swarmKey: Uint8Array
  readonly listen: readonly Multiaddr[]
  readonly announce: readonly Multiaddr[]
  readonly dialTimeoutMs: number
  /** Inbound connections accepted per second from one host. */
  readonly inboundConnectionThreshold: number
  readonly onTokenReject?: (remoteAddr: string, direction: string) => void
  /** Source address of outgoing connections (binds each dialled socket); default: the OS's choice. */
  readonly dialFrom?: string
}

export async function createNode (init: NodeInit): Promise<Libp2p> {
  return await createLibp2p({
    privateKey: init.privateKey,
    addresses: {
      listen: init.listen.map(String),
      announce: init.announce.map(String)
    },
    // @libp2p/tcp spreads dialOpts into net.connect's options; its type lacks localAddress.
    transports: [tcp(init.dialFrom === undefined ? {} : { dialOpts: { localAddress: init.dialFrom } as TCPOptions['dialOpts'] })],
    connectionProtector: tokenCheckedProtector({ swarmKey: init.swarmKey, onReject: init.onTokenReject }),
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: {
      dialTimeout: init.dialTimeoutMs,
      inboundConnectionThreshold: init.inboundConnectionThreshold,
      // We run our own redial with backoff per peer (RaftLink); libp2p's would race it.
      reconnectRetries: 0
    },
    start: false
  })
}
