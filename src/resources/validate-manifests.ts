// A whole file or request body: read every document, validate every one, report every issue.
import type { Issue } from './issues.js'
import type { ManifestFormat } from './parse.js'
import { readManifests } from './parse.js'
import type { Normalized } from './types-kinds.js'
import { validateDocument } from './validate-document.js'

export type ManifestsValidation =
  | { readonly ok: true; readonly objects: readonly Normalized[] }
  | { readonly ok: false; readonly issues: readonly Issue[] }

/**
 * Syntax errors and validation issues of all documents, in document order; an object named twice
 * (same kind, namespace and name) is an issue too, since one apply could not give it both forms.
 */
export function validateManifests(text: string, source: string, format?: ManifestFormat): ManifestsValidation {
  const read = readManifests(text, source, format)
  const issues: Issue[] = [...read.issues]
  const objects: Normalized[] = []
  const seen = new Map<string, string>()
  for (const doc of read.documents) {
    const r = validateDocument(doc)
    if (!r.ok) {
      issues.push(...r.issues)
      continue
    }
    const key = `${r.object.kind} ${r.object.namespace}/${r.object.name}`
    const first = seen.get(key)
    if (first !== undefined) issues.push({ document: doc.source, path: 'metadata.name', reason: `${key} is already defined by ${first}` })
    else seen.set(key, doc.source)
    objects.push(r.object)
  }
  return issues.length > 0 ? { ok: false, issues: issues.sort(byDocument) } : { ok: true, objects }
}

/** "f.yaml#2.items[1]" → [2, 1]: issues are listed in the order of the documents in the file. */
function position(document: string): [number, number] {
  const m = /#(\d+)(?:\.items\[(\d+)\])?$/.exec(document)
  return m === null ? [0, 0] : [Number(m[1]), Number(m[2] ?? -1)]
}

function byDocument(a: Issue, b: Issue): number {
  const [pa, pb] = [position(a.document), position(b.document)]
  return pa[0] - pb[0] || pa[1] - pb[1]
}
