// The log cursor and the sessions that serve polls from other agents: bounded chunks, retries by cursor,
// coalescing, waiting, ending, and dropping a stream (which aborts the runtime's read).
import t from 'tap'
import { LogCursor } from '../../src/agent/pod-logs-cursor.js'
import { LogSessions } from '../../src/agent/pod-logs-sessions.js'
import { Pushable, text } from './pushable.js'

t.test('a piece larger than a chunk comes in bounded chunks, each ending at its cursor', async (t) => {
  const src = new Pushable()
  const c = new LogCursor(src, 4)
  src.push('0123456789')
  src.end()
  const a = await c.poll(0, 1000)
  t.same([text(a.chunk), a.cursor, a.ended], ['0123', 4, false])
  const b = await c.poll(4, 1000)
  t.same([text(b.chunk), b.cursor, b.ended], ['4567', 8, false])
  const d = await c.poll(8, 1000)
  t.same([text(d.chunk), d.cursor, d.ended], ['89', 10, true], 'the last chunk says the stream ended')
  const again = await c.poll(10, 1000)
  t.same([again.chunk.length, again.ended], [0, true], 'a poll after the end gets nothing, ended')
})

t.test('a poll repeating the last cursor gets the same reply again (its answer was lost); a stray cursor is refused', async (t) => {
  const src = new Pushable()
  const c = new LogCursor(src, 100)
  src.push('first\n')
  const a = await c.poll(0, 1000)
  src.push('second\n')
  const retry = await c.poll(0, 1000)
  t.equal(text(retry.chunk), 'first\n', 'the same bytes, not the next ones')
  t.equal(retry.cursor, a.cursor)
  const b = await c.poll(a.cursor, 1000)
  t.equal(text(b.chunk), 'second\n', 'acknowledged: what follows')
  await t.rejects(c.poll(3, 1000), { name: 'LogCursorError' })
})

t.test('pieces ready together go in one reply; with none ready the poll waits, then answers empty', async (t) => {
  const src = new Pushable()
  const c = new LogCursor(src, 100)
  src.push('a')
  src.push('b')
  src.push('c')
  const r = await c.poll(0, 1000)
  t.equal(text(r.chunk), 'abc')
  const quiet = await c.poll(r.cursor, 20)
  t.same([quiet.chunk.length, quiet.cursor, quiet.ended], [0, 3, false], 'nothing new within waitMs')
  src.push('d')
  const later = await c.poll(quiet.cursor, 1000)
  t.equal(text(later.chunk), 'd', 'the read left pending by the quiet poll is taken over, nothing lost')
})

t.test('a poll waiting for output returns as soon as some arrives', async (t) => {
  const src = new Pushable()
  const c = new LogCursor(src, 100)
  const p = c.poll(0, 60_000)
  setTimeout(() => src.push('late\n'), 10)
  t.equal(text((await p).chunk), 'late\n')
})

t.test("the runtime's error reaches the poll", async (t) => {
  const src = new Pushable()
  const c = new LogCursor(src, 100)
  src.fail(Object.assign(new Error('no such container'), { name: 'DockerError' }))
  await t.rejects(c.poll(0, 1000), { name: 'DockerError' })
})

t.test('sessions: opened by a first poll, owned by their peer, dropped when ended, closed or idle; a drop aborts the read', async (t) => {
  const sources: { src: Pushable; signal: AbortSignal }[] = []
  let n = 0
  const sessions = new LogSessions(
    (_req, signal) => {
      const src = new Pushable(signal)
      sources.push({ src, signal })
      return src
    },
    { idleMs: 30, maxSessions: 2, newId: () => `s${++n}` },
  )
  t.teardown(() => sessions.closeAll())
  const open = { uid: 'u1', container: 'main', follow: true, cursor: 0, waitMs: 0 }

  const first = await sessions.poll('peerA', open)
  t.equal(first.session, 's1')
  await t.rejects(sessions.poll('peerB', { ...open, session: 's1' }), { name: 'LogSessionGoneError' }, "another peer cannot poll it")
  sources[0]!.src.push('x')
  const r = await sessions.poll('peerA', { ...open, session: 's1', waitMs: 1000 })
  t.equal(text(r.chunk), 'x')

  await sessions.poll('peerA', open)
  await t.rejects(sessions.poll('peerA', open), { name: 'TooManyLogStreamsError' }, 'bounded')

  sessions.close('peerB', 's2')
  t.equal(sessions.size, 2, "another peer's close is ignored")
  sessions.close('peerA', 's2')
  t.equal(sources[1]!.signal.aborted, true, 'closing aborts the runtime read')
  t.equal(sessions.size, 1)

  await new Promise((resolve) => setTimeout(resolve, 100))
  t.equal(sessions.size, 0, 'an idle session is dropped')
  t.equal(sources[0]!.signal.aborted, true)
  t.equal(sources[0]!.src.returned, true, "the runtime's iterator is returned")
  await t.rejects(sessions.poll('peerA', { ...open, session: 's1' }), { name: 'LogSessionGoneError' })

  const done = await sessions.poll('peerA', { ...open, follow: false })
  sources[2]!.src.end()
  const last = await sessions.poll('peerA', { ...open, session: done.session, waitMs: 1000 })
  t.equal(last.ended, true)
  t.equal(sessions.size, 0, 'an ended stream is dropped at once')
})
