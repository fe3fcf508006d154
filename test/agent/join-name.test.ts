// The leader's rule for a join's name: free, taken by a member that is up, silent, or gone past the grace.
import t from 'tap'
import { decideJoinName, type NameCheckInput } from '../../src/agent/join-name.js'

const holder = { id: '12D3KooWholder0000X69y', name: 'xb2', addrs: ['/ip4/127.0.0.52/tcp/7000'], api: '127.0.0.52:7070', joinedAt: 3 }
const input = (silent: number | undefined, over: Partial<NameCheckInput> = {}): NameCheckInput => ({
  joiner: '12D3KooWjoiner',
  name: 'xb2',
  members: [holder],
  silentForMs: () => silent,
  graceMs: 30_000,
  upWithinMs: 2_000,
  ...over,
})

t.same(decideJoinName(input(0, { name: 'xb4' })), { kind: 'free' }, 'another name is free')
t.same(decideJoinName(input(0, { joiner: holder.id })), { kind: 'free' }, 'the holder itself resuming')
t.match(decideJoinName(input(100)), { kind: 'refuse', message: /^the name "xb2" is taken by member …0000X69y / })
t.match(decideJoinName(input(100)), { kind: 'refuse', message: /\(127\.0\.0\.52:7000\), which is up\. Choose another --name, or stop that node and run `agent leave` on it/ })
t.match(decideJoinName(input(undefined)), { kind: 'refuse', message: /which is up/ }, 'unknown silence counts as up')
t.match(decideJoinName(input(10_000)), { kind: 'refuse', message: /has not answered for 10 s\. If that machine is gone for good, join again in 20 s/ })
t.same(decideJoinName(input(30_001)), { kind: 'takeOver', holder }, 'silent past the grace: taken over')
