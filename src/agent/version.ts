// podmesh's version, from the package.json above this module. The agent runs either as tsc's output
// (dist/src/agent/) or as the bundle (dist/agent.js), at different depths, so the file is looked for
// upwards rather than at a fixed relative path.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function readVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let up = 0; up < 4; up++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'podmesh' && pkg.version) return pkg.version
    } catch {
      // not here: one level up
    }
  }
  return 'unknown'
}

export const PODMESH_VERSION = readVersion()
