// Answering a peer we hold no record of, over the connection it opened to us.
//
// The agent adds a peer (addPeer) once its member directory, applied from the Raft log, knows the peer's
// addresses. A node that has not applied the entry adding its leader yet (it joined and was restarted
// before applying anything, or it lags behind a membership change) still receives that leader's appends
// and heartbeats; its answers must reach the leader, or the leader never learns what the node holds and
// the node never catches up (chaos seed 110). Such a peer has a connection open to us: the answers go out
// on a stream of that connection. A reply link never dials and never redials: it ends with its stream, and
// the next answer opens another if the peer is still connected.
import type { RaftLink } from './raft-link.js'

export interface ReplyLinksInit {
  /** Whether the peer has a connection open to us (peer ids that do not parse: false). */
  readonly connected: (peer: string) => boolean
  /** A link that opens its stream on an open connection to the peer, with redial off. */
  readonly create: (peer: string, onEnd: () => void) => RaftLink
}

export class ReplyLinks {
  private readonly links = new Map<string, RaftLink>()

  constructor (private readonly init: ReplyLinksInit) {}

  get size (): number { return this.links.size }

  /** The link that answers `peer`, made on first use; undefined when no connection from it is open. */
  get (peer: string): RaftLink | undefined {
    const known = this.links.get(peer)
    if (known !== undefined) return known
    if (!this.init.connected(peer)) return undefined
    const link = this.init.create(peer, () => {
      if (this.links.get(peer) === link) this.links.delete(peer)
    })
    this.links.set(peer, link)
    link.start()
    return link
  }

  /** The peer got a record of its own (addPeer) or was removed: its reply link, if any, goes. */
  drop (peer: string): void {
    const link = this.links.get(peer)
    if (link === undefined) return
    this.links.delete(peer)
    link.stop()
  }

  stopAll (): void {
    for (const link of this.links.values()) link.stop()
    this.links.clear()
  }
}
