// What LevelDB dropped while it opened a store. Opening replays its write-ahead log (the *.log files),
// and with paranoid checks off, which classic-level cannot turn on, a record that fails its checksum is
// skipped, the rest of its block with it, and only LevelDB's info log (LOG, rewritten at every open)
// says so. The replayed data is then written to a table and the damaged log deleted: after one more open
// nothing shows that the store lost entries it had acknowledged. So a store found so is marked, and every
// later open refuses it too.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Beside LevelDB's own files, which it leaves alone (it only deletes names it made). */
const MARKER = 'PODMESH-CORRUPT'

/** What the info log of the open just done says LevelDB dropped, one line per damaged stretch. */
export async function droppedWhileOpening(dir: string): Promise<string[]> {
  const log = await readFile(join(dir, 'LOG'), 'utf8').catch(() => '')
  const dropped: string[] = []
  for (const line of log.split('\n')) {
    const m = /([^\s/]+\.log): dropping (\d+) bytes; (Corruption: .*)$/.exec(line)
    if (m) dropped.push(`${m[1]}: ${m[2]} bytes dropped (${m[3]})`)
  }
  return dropped
}

/** The problem a previous open found, if it marked the store. */
export async function markedCorrupt(dir: string): Promise<string | undefined> {
  return readFile(join(dir, MARKER), 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  )
}

export async function markCorrupt(dir: string, problem: string): Promise<void> {
  await writeFile(join(dir, MARKER), problem + '\n', { flush: true })
}
