import t from 'tap'
import { createJoinToken, formatJoinToken, parseJoinToken, swarmKeyFromToken } from '../../src/net/token.js'

t.test('a token round-trips through its string form', async t => {
  const tok = createJoinToken('prod-eu')
  const s = formatJoinToken(tok)
  t.match(s, /^pm1\.[A-Za-z0-9_-]+$/)
  const back = parseJoinToken(`  ${s}\n`)
  t.same([...back.secret], [...tok.secret])
  t.equal(back.clusterId, 'prod-eu')
  t.equal(parseJoinToken(formatJoinToken(createJoinToken())).clusterId, '')
})

t.test('malformed tokens give InvalidJoinTokenError', async t => {
  const s = formatJoinToken(createJoinToken('c1'))
  const bad = [
    '',
    'pm2.' + s.slice(4),
    'pm1.',
    'pm1.!!!!',
    s.slice(0, s.length - 3),
    s.slice(0, 4) + (s[4] === 'A' ? 'B' : 'A') + s.slice(5),
    'pm1.' + Buffer.alloc(40).toString('base64url')
  ]
  for (const b of bad) t.throws(() => parseJoinToken(b), { name: 'InvalidJoinTokenError' }, JSON.stringify(b))
  t.throws(() => createJoinToken('x'.repeat(65)), { name: 'InvalidJoinTokenError' })
})

t.test('the swarm key is in pnet format and depends only on the secret', async t => {
  const tok = createJoinToken('a')
  const key = Buffer.from(swarmKeyFromToken(tok)).toString()
  t.match(key, /^\/key\/swarm\/psk\/1\.0\.0\/\n\/base16\/\n[0-9a-f]{64}$/)
  t.equal(Buffer.from(swarmKeyFromToken({ ...tok, clusterId: 'b' })).toString(), key)
  t.not(Buffer.from(swarmKeyFromToken(createJoinToken('a'))).toString(), key)
  // The secret itself never appears in the derived key.
  t.notOk(key.includes(Buffer.from(tok.secret).toString('hex')))
})
