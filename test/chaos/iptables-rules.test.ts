import t from 'tap'
import {
  assertLoopbackAddress, checkJumpCommand, cutCommands, deleteJumpCommand, formatCommand, healCommand, setupCommands, teardownCommands,
} from '../../src/chaos/iptables-rules.js'

const addr = (slot: number) => `127.0.0.${11 + slot}`

t.test('setup makes a dedicated chain, jumped to first from INPUT for loopback only', async (t) => {
  t.same(setupCommands('PODMESH-CHAOS').map(formatCommand), [
    'iptables -w 5 -N PODMESH-CHAOS',
    'iptables -w 5 -I INPUT 1 -i lo -j PODMESH-CHAOS',
  ])
  t.equal(formatCommand(checkJumpCommand()), 'iptables -w 5 -C INPUT -i lo -j PODMESH-CHAOS')
  t.equal(formatCommand(deleteJumpCommand('X')), 'iptables -w 5 -D INPUT -i lo -j X')
})

t.test('one DROP per directed cut, by source and destination address', async (t) => {
  t.same(cutCommands([{ from: 0, to: 1 }, { from: 2, to: 0 }], addr).map(formatCommand), [
    'iptables -w 5 -A PODMESH-CHAOS -s 127.0.0.11 -d 127.0.0.12 -j DROP',
    'iptables -w 5 -A PODMESH-CHAOS -s 127.0.0.13 -d 127.0.0.11 -j DROP',
  ])
  t.same(cutCommands([], addr), [])
})

t.test('heal flushes the chain; teardown flushes and deletes it', async (t) => {
  t.equal(formatCommand(healCommand()), 'iptables -w 5 -F PODMESH-CHAOS')
  t.same(teardownCommands().map(formatCommand), ['iptables -w 5 -F PODMESH-CHAOS', 'iptables -w 5 -X PODMESH-CHAOS'])
})

t.test('only 127.0.0.x addresses may be cut', async (t) => {
  t.doesNotThrow(() => assertLoopbackAddress('127.0.0.11'))
  for (const bad of ['10.0.0.1', '127.0.1.1', '127.0.0.256', '0.0.0.0', '127.0.0.1; rm -rf /', '']) t.throws(() => assertLoopbackAddress(bad), bad)
})
