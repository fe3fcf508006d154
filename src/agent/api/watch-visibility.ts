// What a watch with a label selector sends for one change, as Kubernetes does: an object that starts
// matching arrives as ADDED, one that stops matching leaves as a synthetic DELETED (carrying the object
// as it is now), and changes to objects that match neither before nor after are not sent.
//
// "Before" is what the client holds. The objects matching when the watch starts, unchanged since its
// resourceVersion, are what the client listed. For an object changed after that version (replayed from
// the history), what it looked like at that version is not kept: its first replayed change is taken as
// changing an object the client holds, unless it is ADDED. So a replayed object that leaves the
// selection is always sent as DELETED, even if the client never had it (clients ignore the deletion of
// an object they do not know); a removal is never missed.
import type { Selector } from './resources.js'
import { objectKey, type Change, type StoredObject } from '../../state/store.js'
import { labelsOf } from './render.js'

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED'

export class SelectorVisibility {
  /** Keys of the objects the client holds. */
  private readonly visible = new Set<string>()
  /** Keys changed after the watch's version whose state at that version is unknown (replayed changes). */
  private readonly unknown = new Set<string>()

  /** `current`: the objects of the watched kind and namespace now; `replayed`: the changes after `from` about to be sent. */
  constructor(
    private readonly selector: Selector,
    current: readonly StoredObject[],
    from: number,
    replayed: readonly Change[],
  ) {
    for (const o of current) if (o.resourceVersion <= from && selector.matches(labelsOf(o))) this.visible.add(objectKey(o))
    for (const c of replayed) this.unknown.add(objectKey(c.object))
  }

  /** The event to send for this change of an object of the watched kind and namespace, if any. */
  eventFor(c: Change): WatchEventType | undefined {
    const key = objectKey(c.object)
    const before = this.unknown.delete(key) ? c.type !== 'ADDED' : this.visible.has(key)
    const now = c.type !== 'DELETED' && this.selector.matches(labelsOf(c.object))
    if (now) this.visible.add(key)
    else this.visible.delete(key)
    if (now) return before ? c.type : 'ADDED'
    return before ? 'DELETED' : undefined
  }
}
