// The served JSON text of the objects as stored now, kept so that repeated reads cost no rendering.
//
// Only current versions are kept, at most one text per object key. A WeakMap keyed by the stored object
// (what this replaced) also kept the text of every old version the watch history still held, up to
// 20,000 of them: a leader polled with `get pods` grew with every pod status change it had served.
import { objectKey, type ObjectStore, type StoredObject } from '../../state/store.js'
import type { SecretBox } from '../../state/secret-box.js'
import { renderObject } from './render.js'

export class RenderedObjects {
  private readonly texts = new Map<string, { readonly object: StoredObject; readonly text: string }>()

  constructor(
    readonly store: ObjectStore,
    private readonly secrets: SecretBox,
  ) {}

  get size(): number {
    return this.texts.size
  }

  /** The object as JSON text (Secrets redacted); kept while it is the stored version of its key. */
  json(o: StoredObject, apiVersion: string): string {
    const key = objectKey(o)
    const kept = this.texts.get(key)
    if (kept?.object === o) return kept.text
    const text = JSON.stringify(renderObject(o, apiVersion, this.secrets))
    if (this.store.get(o) === o) {
      this.texts.set(key, { object: o, text })
      this.sweepWhenLarge()
    }
    return text
  }

  /** Texts of deleted objects go once there are more texts than objects (amortized: rarely, all at once). */
  private sweepWhenLarge(): void {
    if (this.texts.size <= 2 * this.store.size + 64) return
    for (const [key, kept] of this.texts) if (this.store.get(kept.object) !== kept.object) this.texts.delete(key)
  }
}
