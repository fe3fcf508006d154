// The API's error table: unique codes, statuses, and every code documented in docs/api.md with its status.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { API_ERRORS, ApiFailure, type ApiErrorCode } from '../../src/agent/api/errors.js'

/** The repository's docs/api.md, wherever this test was compiled to. */
function apiDoc(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'docs', 'api.md')) && existsSync(join(dir, 'package.json'))) return readFileSync(join(dir, 'docs', 'api.md'), 'utf8')
  }
  throw new Error('docs/api.md not found above this test')
}
const doc = apiDoc()

t.test('every code is unique and documented with its status', async (t) => {
  const codes = Object.keys(API_ERRORS) as ApiErrorCode[]
  t.equal(new Set(codes.map((c) => c.toLowerCase())).size, codes.length, 'unique codes')
  for (const code of codes) {
    const row = new RegExp(`^\\|\\s*\`${code}\`\\s*\\|\\s*${API_ERRORS[code].status}\\s*\\|`, 'm')
    t.match(doc, row, `docs/api.md lists ${code} with status ${API_ERRORS[code].status}`)
  }
  const documented = [...doc.matchAll(/^\|\s*`(\w+)`\s*\|\s*\d{3}\s*\|/gm)].map((m) => m[1])
  t.same(documented.filter((c) => !(c! in API_ERRORS)), [], 'no documented code is missing from the table')
})

t.test('ApiFailure carries the code, status and a stable name', async (t) => {
  const f = new ApiFailure('Gone')
  t.equal(f.status, 410)
  t.equal(f.name, 'ApiFailure')
  t.equal(f.message, API_ERRORS.Gone.message)
})
