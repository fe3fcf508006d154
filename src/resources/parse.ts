// Manifest text → documents. YAML: one document per `---` section, empty ones skipped, each named
// `file#N` by its position in the file. JSON: an object, an array of objects, or a `List` with items.
// Duplicate keys are errors in both. A `kind: List` (or `PodList`…) document is expanded into its items.
import { parseAllDocuments } from 'yaml'
import { ManifestSyntaxError } from './errors.js'
import type { Issue } from './issues.js'
import { JsonSyntaxError, parseJsonStrict } from './json.js'
import { isListKind } from './kinds.js'
import { isPlainObject } from './rules.js'
import type { ParsedDocument } from './validate-document.js'

export type ManifestFormat = 'yaml' | 'json'

export interface ReadManifests {
  readonly documents: readonly ParsedDocument[]
  /** Syntax errors, one or more per broken document; the other documents are still read. */
  readonly issues: readonly Issue[]
}

/** JSON when the text starts with "{" or "[", YAML otherwise (JSON is YAML, but JSON gets JSON's errors). */
export function detectFormat(text: string): ManifestFormat {
  return /^\s*[[{]/.test(text) ? 'json' : 'yaml'
}

/** Reads every document; syntax errors are returned as issues rather than thrown. */
export function readManifests(text: string, source: string, format: ManifestFormat = detectFormat(text)): ReadManifests {
  return format === 'json' ? readJson(text, source) : readYaml(text, source)
}

/** Reads every document; throws ManifestSyntaxError (with all syntax issues) if any document is broken. */
export function parseManifests(text: string, source: string, format?: ManifestFormat): ParsedDocument[] {
  const r = readManifests(text, source, format)
  if (r.issues.length > 0) throw new ManifestSyntaxError(r.issues)
  return [...r.documents]
}

/** A List (or PodList…) expands into its items, each named `source.items[i]`; anything else is one document. */
function expand(source: string, value: unknown): ParsedDocument[] {
  if (isPlainObject(value) && isListKind(value.kind) && Array.isArray(value.items)) {
    return value.items.map((item, i) => ({ source: `${source}.items[${i}]`, value: item }))
  }
  return [{ source, value }]
}

/** "Map keys must be unique at line 3, column 1:\n\n<excerpt>" → "Map keys must be unique at line 3, column 1". */
function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/:$/, '')
}

function readYaml(text: string, source: string): ReadManifests {
  const documents: ParsedDocument[] = []
  const issues: Issue[] = []
  const docs = parseAllDocuments(text, { uniqueKeys: true, merge: true, prettyErrors: true })
  docs.forEach((doc, i) => {
    const name = `${source}#${i + 1}`
    // The first error only: the parser's later ones are mostly echoes of it.
    const err = doc.errors[0]
    if (err !== undefined) return void issues.push({ document: name, path: '', reason: `YAML syntax: ${firstLine(err.message)}` })
    try {
      const value: unknown = doc.toJS({ maxAliasCount: 100 })
      // A section with nothing but comments, or nothing at all, is not a document.
      if (value === null || value === undefined) return
      documents.push(...expand(name, value))
    } catch (err) {
      issues.push({ document: name, path: '', reason: `YAML: ${(err as Error).message}` })
    }
  })
  return { documents, issues }
}

function readJson(text: string, source: string): ReadManifests {
  let value: unknown
  try {
    value = parseJsonStrict(text)
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err
    return { documents: [], issues: [{ document: source, path: '', reason: `JSON syntax: ${err.message}` }] }
  }
  const items = Array.isArray(value) ? value : isPlainObject(value) && isListKind(value.kind) && Array.isArray(value.items) ? value.items : [value]
  return { documents: items.map((item, i) => ({ source: `${source}#${i + 1}`, value: item })), issues: [] }
}
