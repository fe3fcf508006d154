// The log route in-process: a pod on this node read from its runtime, a pod on another node relayed
// through that node's podLogs handlers (a fake mesh call), lost replies, chunking, and a client that
// goes away (a real socket): the relay stops and the runtime's read on the pod's node is aborted.
import { pino } from 'pino'
import t from 'tap'
import { logRoutes, type LogRouteDeps } from '../../src/agent/api/routes-logs.js'
import { createApiServer } from '../../src/agent/api/server.js'
import { servePodLogs } from '../../src/agent/pod-logs-rpc.js'
import type { RpcHandler } from '../../src/net/index.js'
import { encode, encodeConfChange } from '../../src/raft/codec.js'
import type { LogOptions, PodRuntime } from '../../src/runtime/types.js'
import { ClusterState } from '../../src/state/cluster-state.js'
import { Pushable } from './pushable.js'

/** A runtime whose pods' outputs the test writes; every read is recorded with its options. */
class ScriptedRuntime implements PodRuntime {
  readonly name = 'scripted'
  readonly reads: { uid: string; opts: LogOptions; src: Pushable }[] = []
  constructor(
    private readonly uids: readonly string[],
    private readonly output: (uid: string, container: string) => string,
  ) {}
  async reconcile(): Promise<void> {}
  statuses() {
    return this.uids.map((uid) => ({ uid, status: { phase: 'Running' as const, conditions: [], containerStatuses: [] } }))
  }
  onChange(): () => void {
    return () => {}
  }
  logs(uid: string, opts: LogOptions): AsyncIterable<Uint8Array> {
    const src = new Pushable(opts.signal)
    src.push(this.output(uid, opts.container ?? ''))
    if (!opts.follow) src.end()
    this.reads.push({ uid, opts, src })
    return src
  }
  async close(): Promise<void> {}
}

function stateWith(pods: readonly { name: string; uid: string; node: string; containers?: string[]; status?: object }[]): ClusterState {
  const s = new ClusterState()
  const member = (id: string, name: string, index: number) => ({ index, term: 1, type: 'conf' as const, data: encodeConfChange({ type: 'addVoter', node: id, context: encode({ name, addrs: [], api: '' }) }) })
  const ops = pods.map((p) => ({
    op: 'put' as const,
    kind: 'Pod',
    namespace: 'default',
    name: p.name,
    uid: p.uid,
    object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name }, spec: { nodeName: p.node, containers: (p.containers ?? ['main']).map((name) => ({ name, image: 'x' })) }, status: p.status ?? { phase: 'Running' } },
  }))
  s.apply([member('id-one', 'one', 1), member('id-two', 'two', 2), { index: 3, term: 1, type: 'normal', data: encode({ type: 'write', time: '2026-01-01T00:00:00Z', ops }) }])
  return s
}

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join('')

function fixture(opts: { lose?: (n: number) => boolean; unreachable?: boolean | (() => boolean) } = {}) {
  const state = stateWith([
    { name: 'here', uid: 'u-here', node: 'one' },
    { name: 'there', uid: 'u-there', node: 'two' },
    { name: 'starting', uid: 'u-starting', node: 'two', status: { phase: 'Pending', containerStatuses: [{ name: 'main', restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] } },
  ])
  const local = new ScriptedRuntime(['u-here'], () => 'local output\n')
  const remote = new ScriptedRuntime(['u-there'], () => lines(1, 2000))
  const handlers = new Map<string, RpcHandler>()
  const stopServing = servePodLogs({ mesh: { handle: (m, h) => (handlers.set(m, h), () => handlers.delete(m)) }, nodeName: 'two', runtime: () => remote }, { maxChunkBytes: 1000 })
  let polls = 0
  const calls: string[] = []
  const deps: LogRouteDeps = {
    state,
    selfId: 'id-one',
    nodeName: 'one',
    runtime: () => local,
    readBarrier: async () => {},
    call: async (peer, method, body) => {
      calls.push(`${peer} ${method}`)
      if (typeof opts.unreachable === 'function' ? opts.unreachable() : opts.unreachable) throw Object.assign(new Error('dial timed out'), { name: 'PeerUnreachableError' })
      const reply = await handlers.get(method)!(body, 'id-one')
      // The reply is lost on the way back: the relay must ask again by cursor.
      if (method === 'podLogs' && opts.lose?.(++polls)) throw Object.assign(new Error('timed out'), { name: 'RpcTimeoutError' })
      return reply
    },
  }
  const server = createApiServer({ host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }), routes: logRoutes(() => deps, { pollWaitMs: 50 }) })
  return { server, local, remote, calls, stopServing }
}

t.test('a pod on this node is read from its runtime, with tail passed through', async (t) => {
  const f = fixture()
  t.teardown(f.stopServing)
  const r = await f.server.inject({ method: 'GET', url: '/v1/pods/here/log?tailLines=7' })
  t.equal(r.status, 200)
  t.equal(r.headers['content-type'], 'text/plain; charset=utf-8')
  t.equal(r.text, 'local output\n')
  t.match(f.local.reads[0]!.opts, { container: 'main', follow: false, tail: 7 })
  t.same(f.calls, [], 'no mesh call')
})

t.test('a pod on another node is relayed in bounded chunks, complete and in order, even when replies are lost', async (t) => {
  const f = fixture({ lose: (n) => n % 3 === 2 })
  t.teardown(f.stopServing)
  const r = await f.server.inject({ method: 'GET', url: '/v1/pods/there/log' })
  t.equal(r.status, 200)
  t.equal(r.text, lines(1, 2000), 'every line once')
  const polls = f.calls.filter((c) => c === 'id-two podLogs').length
  t.ok(polls > Math.ceil(r.text.length / 1000), `${polls} polls of at most 1000 bytes, some of them repeated`)
})

t.test('following: output written later on the remote node arrives, and the end of the output ends the answer', async (t) => {
  const f = fixture()
  t.teardown(f.stopServing)
  const answer = f.server.inject({ method: 'GET', url: '/v1/pods/there/log?follow=true&tailLines=2' })
  await new Promise((resolve) => setTimeout(resolve, 150))
  const read = f.remote.reads[0]!
  t.match(read.opts, { follow: true, tail: 2 })
  read.src.push('later\n')
  read.src.end()
  t.equal((await answer).text, lines(1, 2000) + 'later\n')
})

t.test("refusals decided before the answer starts: a container not started, an unreachable node", async (t) => {
  const f = fixture()
  t.teardown(f.stopServing)
  const waiting = await f.server.inject({ method: 'GET', url: '/v1/pods/starting/log' })
  t.equal(waiting.status, 400)
  t.match(waiting.json(), { error: 'BadRequest', message: /container "main" in pod "starting" is waiting to start \(ContainerCreating\); retry when it runs/ })
  const down = fixture({ unreachable: true })
  t.teardown(down.stopServing)
  const r = await down.server.inject({ method: 'GET', url: '/v1/pods/there/log' })
  t.equal(r.status, 503)
  t.match(r.json(), { error: 'NodeUnavailable', message: /node "two", which runs pod "there", cannot be reached over the mesh \(dial timed out\)/ })
})

t.test('a client that goes away ends the relay, and the pod node drops the stream and aborts its runtime read', async (t) => {
  const f = fixture()
  t.teardown(f.stopServing)
  const { port } = await f.server.start()
  t.teardown(() => f.server.stop())
  const ac = new AbortController()
  const res = await fetch(`http://127.0.0.1:${port}/v1/pods/there/log?follow=true`, { signal: ac.signal })
  t.equal(res.status, 200)
  const reader = res.body!.getReader()
  await reader.read()
  ac.abort()
  const read = f.remote.reads[0]!
  await new Promise<void>((resolve) => {
    const check = () => (read.opts.signal?.aborted ? resolve() : setTimeout(check, 20))
    check()
  })
  t.equal(read.opts.signal?.aborted, true, "the runtime's read is aborted")
  t.ok(f.calls.includes('id-two podLogsClose'), 'the relay told the pod node')
})

t.test("the pod's node lost mid-stream: the answer is cut off, not ended, so a following client sees it broke", async (t) => {
  let down = false
  const f = fixture({ unreachable: () => down })
  t.teardown(f.stopServing)
  const { port } = await f.server.start()
  t.teardown(() => f.server.stop())
  const res = await fetch(`http://127.0.0.1:${port}/v1/pods/there/log?follow=true`)
  t.equal(res.status, 200)
  const reader = res.body!.getReader()
  t.match(new TextDecoder().decode((await reader.read()).value), /^line 1\n/)
  down = true
  const rest = async () => {
    for (;;) if ((await reader.read()).done) return 'ended'
  }
  await t.rejects(rest(), 'reading on fails: the stream did not end cleanly')
})
