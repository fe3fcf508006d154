// Which files `agent apply` sends, checked in the CLI with the same parser `delete -f` uses
// (cli-manifests.ts): a file with no documents (empty, or only comments) is skipped, as `delete -f`
// skips it, and with an explicit -n an object naming another namespace is refused, as kubectl does.
import { UsageError } from './errors.js'
import { kindOfManifest } from './cli-kinds.js'
import { parseObjects, type Source } from './cli-manifests.js'
import { meta, str, type Json } from './cli-object.js'

function namespaceMismatch(own: string, given: string): UsageError {
  return new UsageError(`the namespace from the provided object "${own}" does not match the namespace "${given}". You must pass '--namespace=${own}' to perform this operation.`)
}

/** The objects of a source, or undefined when the CLI cannot parse it: the API then reports the problems with their documents. */
function objectsOf(s: Source): Json[] | undefined {
  try {
    return parseObjects(s)
  } catch {
    return undefined
  }
}

export function applicableSources(sources: readonly Source[], namespace: string, explicit: boolean): Source[] {
  const out: Source[] = []
  for (const s of sources) {
    const objects = objectsOf(s)
    if (objects?.length === 0) continue
    if (explicit) for (const o of objects ?? []) checkNamespace(o, namespace)
    out.push(s)
  }
  return out
}

function checkNamespace(o: Json, given: string): void {
  const own = meta(o).namespace
  if (!own || kindOfManifest(str(o.kind) ?? '')?.namespaced === false) return
  if (own !== given) throw namespaceMismatch(own, given)
}
