// The metrics registry reads its sources at scrape time; each agent has its own.
import t from 'tap'
import { AgentMetrics } from '../../src/agent/api/metrics.js'
import { newCounters } from '../../src/net/counters.js'
import type { RaftStatus } from '../../src/raft/api.js'

const status = (term: number, role: RaftStatus['role']) => ({ term, commit: 7, applied: 6, role }) as RaftStatus

t.test('gauges and counters show the sources; histograms count requests and proposals', async (t) => {
  let term = 3
  const net = newCounters()
  net.droppedFrames.spoofed = 2
  const m = new AgentMetrics({
    raftStatus: () => status(term, 'leader'),
    raftCounters: () => ({ droppedUnknownNode: 1, droppedStaleTerm: 4, droppedInvalid: 0 }),
    netCounters: () => net,
    objects: () => 9,
    watchers: () => 2,
  })
  m.leaderChanged()
  m.proposal(0.002, 'ok')
  m.request('get', 'GET', 200, 0.001)
  m.request('put', 'PUT', 409, 0.003)
  term = 5
  const text = await m.registry.metrics()
  for (const line of [
    'podmesh_raft_term 5',
    'podmesh_raft_commit_index 7',
    'podmesh_raft_applied_index 6',
    'podmesh_raft_is_leader 1',
    'podmesh_raft_leader_changes_total 1',
    'podmesh_objects 9',
    'podmesh_api_watchers 2',
    'podmesh_net_dropped_frames_total{reason="spoofed"} 2',
    'podmesh_raft_dropped_messages_total{reason="staleTerm"} 4',
    'podmesh_proposal_duration_seconds_count{outcome="ok"} 1',
    'podmesh_api_request_duration_seconds_count{route="put",method="PUT",code="409"} 1',
  ])
    t.ok(text.split('\n').includes(line), line)
  const other = new AgentMetrics({ raftStatus: () => status(1, 'follower'), raftCounters: () => ({ droppedUnknownNode: 0, droppedStaleTerm: 0, droppedInvalid: 0 }), netCounters: newCounters, objects: () => 0, watchers: () => 0 })
  t.ok((await other.registry.metrics()).includes('podmesh_raft_is_leader 0'), 'a second agent in the same process has its own registry')
})
