// What `-f` names: files, directories (their *.yaml, *.yml and *.json in name order) and `-` (stdin),
// read as text for apply, or parsed into objects for `delete -f`.
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { UsageError } from './errors.js'
import { rec, type Json } from './cli-object.js'

export interface Source {
  /** What errors call it: the path as given, `stdin` for `-`. */
  readonly name: string
  readonly text: string
  readonly contentType: 'application/yaml' | 'application/json'
}

const MANIFEST = /\.(ya?ml|json)$/i

export interface ReadDeps {
  readonly readStdin: () => Promise<string>
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Reads every `-f` in the order given; a directory contributes its manifests sorted by name (not recursive). */
export async function readSources(paths: readonly string[], deps: ReadDeps = { readStdin }): Promise<Source[]> {
  if (paths.length === 0) throw new UsageError('give at least one -f FILE, DIR or - (stdin)')
  const out: Source[] = []
  for (const p of paths) {
    if (p === '-') {
      const text = await deps.readStdin()
      out.push({ name: 'stdin', text, contentType: looksLikeJson(text) ? 'application/json' : 'application/yaml' })
      continue
    }
    const files = await expand(p)
    for (const f of files) out.push({ name: f, text: await readFile(f, 'utf8'), contentType: /\.json$/i.test(f) ? 'application/json' : 'application/yaml' })
  }
  return out
}

async function expand(p: string): Promise<string[]> {
  let s
  try {
    s = await stat(p)
  } catch {
    throw new UsageError(`${p}: no such file or directory`)
  }
  if (!s.isDirectory()) return [p]
  const names = (await readdir(p)).filter((n) => MANIFEST.test(n)).sort()
  if (names.length === 0) throw new UsageError(`${p}: no *.yaml, *.yml or *.json files in this directory`)
  return names.map((n) => join(p, n))
}

function looksLikeJson(text: string): boolean {
  return /^\s*[[{]/.test(text)
}

/** The objects of a source: YAML documents (empty ones skipped), a JSON array, or a List's items. */
export function parseObjects(source: Source): Json[] {
  const docs = parseAllDocuments(source.text)
  if (!Array.isArray(docs)) return []
  const out: Json[] = []
  docs.forEach((d, i) => {
    if (d.errors.length) throw new UsageError(`${source.name}#${i + 1}: ${d.errors[0]!.message}`)
    const v: unknown = d.toJS()
    if (v === null || v === undefined) return
    for (const o of Array.isArray(v) ? v : [v]) {
      const obj = rec(o)
      if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) out.push(...obj.items.map(rec))
      else out.push(obj)
    }
  })
  return out
}
