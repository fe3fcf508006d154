import t from 'tap'
import { foreignSources, parseProcAddress } from '../../src/chaos/source-check.js'

t.test('parses the kernel\'s little-endian hex addresses', async (t) => {
  t.same(parseProcAddress('0B00007F:1F40'), { host: '127.0.0.11', port: 8000 })
  t.same(parseProcAddress('0100007F:0050'), { host: '127.0.0.1', port: 80 })
  t.equal(parseProcAddress('garbage'), undefined)
})

const table = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 0B00007F:A000 0C00007F:1F40 01 00000000:00000000 00:00000000 00000000     0        0 1', // .11 -> .12:8000 established
  '   1: 0100007F:A001 0C00007F:1F40 01 00000000:00000000 00:00000000 00000000     0        0 2', // .1 -> .12:8000 established
  '   2: 0100007F:A002 0C00007F:1F41 01 00000000:00000000 00:00000000 00000000     0        0 3', // .1 -> .12:8001 (the API)
  '   3: 0100007F:A003 0C00007F:1F40 06 00000000:00000000 00:00000000 00000000     0        0 4', // TIME_WAIT
  '   4: 0C00007F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5', // listening
].join('\n')

t.test('names established mesh connections from outside the nodes\' addresses, nothing else', async (t) => {
  const mesh = [{ host: '127.0.0.12', port: 8000 }]
  t.same(foreignSources(table, mesh, new Set(['127.0.0.11', '127.0.0.12'])), ['127.0.0.1:40961 -> 127.0.0.12:8000'])
  t.same(foreignSources(table, mesh, new Set(['127.0.0.1', '127.0.0.11'])), [])
})
