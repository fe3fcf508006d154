// The placeholder is the resource model's, so that validation can recognise a served Secret applied back.
import { REDACTED } from '../../resources/index.js'
import type { StoredObject } from '../../state/store.js'
import { isSealed, type SecretBox } from '../../state/secret-box.js'

export interface RenderOptions {
  /** Secrets: decrypt the values instead of printing `<redacted>`. */
  readonly reveal?: boolean
}

/** An object as the API serves it: apiVersion, kind, full metadata (resourceVersion as a string), then the rest. */
export function renderObject(o: StoredObject, apiVersion: string, secrets: SecretBox, opts: RenderOptions = {}): Record<string, unknown> {
  const { metadata, sealedData, ...rest } = o.object as { metadata?: Record<string, unknown>; sealedData?: unknown }
  const out: Record<string, unknown> = {
    apiVersion,
    kind: o.kind,
    metadata: {
      ...metadata,
      name: o.name,
      namespace: o.namespace,
      uid: o.uid,
      resourceVersion: String(o.resourceVersion),
      generation: o.generation,
      creationTimestamp: o.creationTimestamp,
    },
    ...rest,
  }
  if (isSealed(sealedData)) out.data = secretData(o, sealedData, secrets, opts.reveal ?? false)
  return out
}

function secretData(o: StoredObject, sealed: Parameters<SecretBox['open']>[1], secrets: SecretBox, reveal: boolean): Record<string, string> {
  const data = secrets.open(o, sealed)
  if (reveal) return data
  const out: Record<string, string> = {}
  for (const k of Object.keys(data)) out[k] = REDACTED
  return out
}

export function labelsOf(o: StoredObject): Readonly<Record<string, string>> {
  return ((o.object.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {}) as Readonly<Record<string, string>>
}
