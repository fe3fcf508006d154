// YAML as the CLI prints it: readable by YAML 1.2 and 1.1 tools alike. The yaml library writes 1.2, where
// `yes`, `on`, `NO` or `2026-01-01` are plain strings; PyYAML and go-yaml v2 read them as booleans and
// dates, so such strings (values and keys) are quoted, as kubectl quotes them.
import { Document, parse, visit } from 'yaml'

export function toYaml(value: unknown): string {
  const doc = new Document(value)
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && misreadBy11(node.value)) node.type = 'QUOTE_DOUBLE'
    },
  })
  return doc.toString({ lineWidth: 0 })
}

/** A one-line string a YAML 1.1 reader would take for something else (what 1.2 misreads the library quotes already). */
function misreadBy11(s: string): boolean {
  if (s === '' || s.includes('\n')) return false
  try {
    return typeof parse(s, { version: '1.1' }) !== 'string'
  } catch {
    return false
  }
}
