import t from 'tap'
import type { Test } from 'tap'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Level } from 'level'
import { LevelStorage } from '../../../src/raft/level-storage.js'
import { FORMAT_KEY, HARD_STATE_KEY, entryKey } from '../../../src/raft/level-keys.js'
import { sealRecord } from '../../../src/raft/level-records.js'
import { crc32, crc32Table } from '../../../src/raft/checksum.js'
import type { Entry, Snapshot } from '../../../src/raft/types.js'

async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'podmesh-store-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

function ents(from: number, to: number, term: number): Entry[] {
  const out: Entry[] = []
  for (let i = from; i <= to; i++) out.push({ term, index: i, type: 'normal', data: Uint8Array.of(i & 0xff, term) })
  return out
}

function snap(index: number, term: number): Snapshot {
  return { metadata: { index, term, conf: { voters: ['a', 'b', 'c'], learners: [] } }, data: Uint8Array.of(1, 2, 3, index & 0xff) }
}

function plain(es: readonly Entry[]): unknown[] {
  return es.map((e) => ({ term: e.term, index: e.index, type: e.type, data: [...e.data] }))
}

async function withRaw<T>(dir: string, fn: (db: Level<Buffer, Buffer>) => Promise<T>): Promise<T> {
  const db = new Level<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' })
  await db.open()
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}

async function reopen(dir: string) {
  const s = await LevelStorage.open(dir)
  const loaded = s.load()
  await s.close()
  return loaded
}

t.test('a fresh store loads empty', async (t) => {
  const dir = await tempDir(t)
  const loaded = await reopen(dir)
  t.equal(loaded.hardState, undefined)
  t.equal(loaded.snapshot, undefined)
  t.equal(loaded.firstIndex, 1)
  t.equal(loaded.lastIndex, 0)
})

t.test('write, close, reopen: entries and hard state are equal', async (t) => {
  const dir = await tempDir(t)
  const s = await LevelStorage.open(dir)
  s.load()
  await s.save({ entries: ents(1, 3, 1), hardState: { term: 1, vote: 'a', commit: 2 }, mustSync: true })
  await s.save({ entries: ents(4, 6, 2), hardState: { term: 2, vote: 'b', commit: 5 }, mustSync: false })
  await s.close()
  const loaded = await reopen(dir)
  t.same(loaded.hardState, { term: 2, vote: 'b', commit: 5 })
  t.equal(loaded.firstIndex, 1)
  t.equal(loaded.lastIndex, 6)
  t.same(plain(loaded.storage.entries(1, 7, Infinity)), plain([...ents(1, 3, 1), ...ents(4, 6, 2)]))
  t.same(loaded.storage.initialState().hardState, { term: 2, vote: 'b', commit: 5 })
})

t.test('entries at an index <= last persisted truncate the persisted suffix', async (t) => {
  const dir = await tempDir(t)
  const s = await LevelStorage.open(dir)
  s.load()
  await s.save({ entries: ents(1, 6, 1), hardState: { term: 1, vote: 'a', commit: 2 }, mustSync: true })
  await s.save({ entries: ents(3, 4, 2), hardState: { term: 2, vote: 'b', commit: 2 }, mustSync: true })
  await s.close()
  await withRaw(dir, async (db) => {
    t.same(await db.has(entryKey(4)), true)
    t.same(await db.has(entryKey(5)), false, 'the replaced suffix is deleted')
    t.same(await db.has(entryKey(6)), false)
  })
  const loaded = await reopen(dir)
  t.equal(loaded.lastIndex, 4)
  t.same(plain(loaded.storage.entries(1, 5, Infinity)), plain([...ents(1, 2, 1), ...ents(3, 4, 2)]))
})

t.test('compact persists the snapshot and deletes entries up to index', async (t) => {
  const dir = await tempDir(t)
  const s = await LevelStorage.open(dir)
  s.load()
  await s.save({ entries: ents(1, 10, 1), hardState: { term: 1, vote: 'a', commit: 10 }, mustSync: true })
  await s.compact(5, snap(8, 1))
  await s.save({ entries: ents(11, 12, 1), mustSync: true })
  await s.close()
  await withRaw(dir, async (db) => {
    t.same(await db.has(entryKey(5)), false)
    t.same(await db.has(entryKey(6)), true, 'entries past the compaction index stay for slow followers')
  })
  const loaded = await reopen(dir)
  t.same(loaded.snapshot?.metadata, snap(8, 1).metadata)
  t.same([...(loaded.snapshot?.data ?? [])], [1, 2, 3, 8])
  t.equal(loaded.firstIndex, 9)
  t.equal(loaded.lastIndex, 12)
  t.same(plain(loaded.storage.entries(9, 13, Infinity)), plain(ents(9, 12, 1)))
  t.equal(loaded.storage.term(8), 1)
})

t.test('a Ready carrying a snapshot replaces the whole log', async (t) => {
  const dir = await tempDir(t)
  const s = await LevelStorage.open(dir)
  s.load()
  await s.save({ entries: ents(1, 5, 1), mustSync: true })
  await s.save({ snapshot: snap(20, 3), entries: ents(21, 22, 3), hardState: { term: 3, vote: '', commit: 20 }, mustSync: false })
  await s.close()
  await withRaw(dir, async (db) => {
    for (let i = 1; i <= 5; i++) t.same(await db.has(entryKey(i)), false, `entry ${i} deleted`)
  })
  const loaded = await reopen(dir)
  t.equal(loaded.firstIndex, 21)
  t.equal(loaded.lastIndex, 22)
  t.same(loaded.hardState, { term: 3, vote: '', commit: 20 })
})

t.test('appending past the end of the persisted log is refused', async (t) => {
  const dir = await tempDir(t)
  const s = await LevelStorage.open(dir)
  s.load()
  t.teardown(() => s.close())
  await s.save({ entries: ents(1, 2, 1), mustSync: true })
  await t.rejects(s.save({ entries: ents(4, 4, 1), mustSync: true }))
  await s.save({ entries: ents(3, 3, 1), mustSync: true })
})

t.test('identity and meta records survive a reopen', async (t) => {
  const dir = await tempDir(t)
  const s = await LevelStorage.open(dir)
  t.equal(s.identity().clusterId, '')
  await s.setIdentity('cluster-1', 'node-a')
  await s.setMeta('peers', Uint8Array.of(9, 8, 7))
  await s.close()
  const s2 = await LevelStorage.open(dir)
  t.teardown(() => s2.close())
  t.same(s2.identity(), { version: 1, clusterId: 'cluster-1', nodeId: 'node-a' })
  t.same([...((await s2.getMeta('peers')) ?? [])], [9, 8, 7])
  t.equal(await s2.getMeta('absent'), undefined)
})

async function seeded(t: Test): Promise<string> {
  const dir = await tempDir(t)
  const s = await LevelStorage.open(dir)
  s.load()
  await s.save({ entries: ents(1, 10, 1), hardState: { term: 1, vote: 'a', commit: 8 }, mustSync: true })
  await s.compact(4, snap(5, 1))
  await s.close()
  return dir
}

async function refused(t: Test, dir: string, problem: RegExp): Promise<void> {
  await t.rejects(LevelStorage.open(dir), { name: 'CorruptStoreError', dir, problem })
  await withRaw(dir, async () => undefined) // the failed open released the database lock
}

t.test('corruption is refused with CorruptStoreError', async (t) => {
  t.test('a flipped byte in an entry', async (t) => {
    const dir = await seeded(t)
    await withRaw(dir, async (db) => {
      const v = (await db.get(entryKey(7)))!
      v[v.length - 1] ^= 0x40
      await db.put(entryKey(7), v)
    })
    await refused(t, dir, /^entry 7: checksum mismatch/)
  })
  t.test('an undecodable record with a valid checksum', async (t) => {
    const dir = await seeded(t)
    await withRaw(dir, async (db) => {
      const body = Buffer.from([0x85]) // a map of 5 pairs, cut short
      const v = Buffer.alloc(5)
      v.writeUInt32BE(crc32(body), 0)
      v[4] = body[0]!
      await db.put(entryKey(8), v)
    })
    await refused(t, dir, /^entry 8: undecodable/)
  })
  t.test('a missing middle entry', async (t) => {
    const dir = await seeded(t)
    await withRaw(dir, (db) => db.del(entryKey(7)))
    await refused(t, dir, /gap in the log: entry 6 is followed by entry 8/)
  })
  t.test('entries that do not follow the snapshot', async (t) => {
    const dir = await seeded(t)
    await withRaw(dir, async (db) => {
      await db.del(entryKey(5))
      await db.del(entryKey(6))
    })
    await refused(t, dir, /starts at entry 7 but the snapshot ends at 5/)
  })
  t.test('an entry whose record disagrees with its key', async (t) => {
    const dir = await seeded(t)
    await withRaw(dir, (db) => db.put(entryKey(9), sealRecord(ents(3, 3, 1)[0])))
    await refused(t, dir, /^entry 9: record does not hold entry 9/)
  })
  t.test('the newest entries gone while the record of the last index stands', async (t) => {
    const dir = await seeded(t)
    await withRaw(dir, async (db) => {
      await db.del(entryKey(10))
      await db.del(entryKey(9))
    })
    await refused(t, dir, /entries up to 10 were written but the log ends at 8: the last 2 are missing/)
  })
  t.test('a log without the hard state that came with it', async (t) => {
    const dir = await seeded(t)
    await withRaw(dir, (db) => db.del(HARD_STATE_KEY))
    await refused(t, dir, /the log holds entries up to 10 but no hard state/)
  })
  t.test('a hard state committing beyond the last entry', async (t) => {
    const dir = await seeded(t)
    await withRaw(dir, (db) => db.put(HARD_STATE_KEY, sealRecord({ term: 1, vote: 'a', commit: 11 })))
    await refused(t, dir, /hard state commit 11 is beyond the last entry 10/)
  })
  t.test('an unknown format version', async (t) => {
    const dir = await seeded(t)
    await withRaw(dir, (db) => db.put(FORMAT_KEY, sealRecord({ version: 99, clusterId: '', nodeId: '' })))
    await refused(t, dir, /unknown store format version 99/)
  })
  t.test('a missing format record in a store with data', async (t) => {
    const dir = await seeded(t)
    await withRaw(dir, (db) => db.del(FORMAT_KEY))
    await refused(t, dir, /format record is missing/)
  })
  t.test("damaged records in LevelDB's write-ahead log, which LevelDB itself skips: refused, and again at every later open", async (t) => {
    const dir = await tempDir(t)
    const s = await LevelStorage.open(dir)
    s.load()
    const big = Array.from({ length: 20 }, (_, i) => ({ ...ents(i + 1, i + 1, 1)[0]!, data: new Uint8Array(1000).fill(i) }))
    await s.save({ entries: big, hardState: { term: 1, vote: 'a', commit: 20 }, mustSync: true })
    await s.close()
    const [wal] = (await readdir(dir)).filter((f) => f.endsWith('.log'))
    const bytes = await readFile(join(dir, wal!))
    for (let i = 2000; i < 2100; i++) bytes[i]! ^= 0xff
    await writeFile(join(dir, wal!), bytes)
    const dropped = new RegExp(`^LevelDB dropped damaged records of its write-ahead log while opening it \\(${wal!.replace('.', '\\.')}: \\d+ bytes dropped \\(Corruption: checksum mismatch\\)\\)`)
    await refused(t, dir, dropped)
    // LevelDB has already rewritten what it kept as a table and deleted the damaged log: the mark remains.
    t.notOk((await readdir(dir)).includes(wal!), 'the damaged log is gone')
    await refused(t, dir, dropped)
  })
  t.test('a store whose write-ahead log replays cleanly is not marked', async (t) => {
    const dir = await tempDir(t)
    const s = await LevelStorage.open(dir)
    s.load()
    await s.save({ entries: ents(1, 5, 1), hardState: { term: 1, vote: 'a', commit: 5 }, mustSync: true })
    await s.close()
    const again = await LevelStorage.open(dir)
    t.equal(again.load().lastIndex, 5)
    await again.close()
  })
  t.test('the message names the dir and what to do', async (t) => {
    const dir = await seeded(t)
    await withRaw(dir, (db) => db.del(entryKey(7)))
    const err = await LevelStorage.open(dir).then(
      () => undefined,
      (e: Error) => e,
    )
    t.match(err?.message, dir)
    t.match(err?.message, 'agent join')
  })
  t.end()
})

t.test('crc32 matches the IEEE check value, natively and by table', async (t) => {
  const check = Buffer.from('123456789')
  t.equal(crc32(check), 0xcbf43926)
  t.equal(crc32Table(check), 0xcbf43926)
})

t.test('a stored commit index older than the snapshot loads as the snapshot index (the driver skips commit-only writes)', async (t) => {
  const dir = await tempDir(t)
  const s = await LevelStorage.open(dir)
  s.load()
  await s.save({ entries: ents(1, 10, 1), hardState: { term: 1, vote: 'a', commit: 3 }, mustSync: true })
  // Commit and apply reached 8 in memory only; the state machine's snapshot at 8 compacts the log.
  await s.compact(6, snap(8, 1))
  await s.close()
  const loaded = await reopen(dir)
  t.same(loaded.storage.initialState().hardState, { term: 1, vote: 'a', commit: 8 })
  t.equal(loaded.lastIndex, 10)
})
